namespace AvatarLab.Inference.Audio;

/// <summary>
/// <see cref="Resampler"/> for audio that arrives in chunks: push chunks of any size, receive
/// every output sample whose filter window is complete, then <see cref="Flush(Span{float})"/> at the end of
/// the stream for the rest. The concatenated output equals <see cref="Resampler.Resample"/> of
/// the concatenated input, bit for bit. <see cref="Push(ReadOnlySpan{float}, Span{float})"/>
/// and <see cref="Flush(Span{float})"/> do not allocate. Not thread-safe: one instance per stream.
/// </summary>
public sealed class StreamingResampler
{
    // Room for this many new input samples beyond one filter window: chunk copies are this big at most.
    private const int BlockSamples = 4096;

    private readonly ResamplerKernel? _kernel;
    private readonly float[] _buffer;
    private readonly double[] _scratch;
    private long _bufferStart;
    private int _count;
    private long _next;
    private long _totalInput;
    private bool _flushed;

    /// <summary>Creates a resampler from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
    public StreamingResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        FromRate = fromRate;
        ToRate = toRate;
        if (fromRate != toRate)
        {
            _kernel = new ResamplerKernel(fromRate, toRate);
        }

        var taps = _kernel?.Taps ?? 0;
        _buffer = new float[taps + BlockSamples];
        _scratch = new double[taps];
        Reset();
    }

    /// <summary>Input rate in Hz.</summary>
    public int FromRate { get; }

    /// <summary>Output rate in Hz.</summary>
    public int ToRate { get; }

    /// <summary>Input samples that must arrive after an output's time before it is written (the filter's half-length).</summary>
    public int LatencyInputSamples => _kernel?.Half ?? 0;

    /// <summary>Exactly how many samples the next push of <paramref name="inputLength"/> samples writes.</summary>
    public int OutputLengthFor(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        if (_kernel is null)
        {
            return inputLength;
        }

        // Output n is ready once input floor(n * M / L) + Half has arrived.
        var ready = Math.Max(0, _kernel.OutputLength(_totalInput + inputLength - _kernel.Half));
        return (int)(Math.Max(ready, _next) - _next);
    }

    /// <summary>Exactly how many samples <see cref="Flush(Span{float})"/> writes now.</summary>
    public int FlushLength => _kernel is null || _flushed ? 0 : (int)(_kernel.OutputLength(_totalInput) - _next);

    /// <summary>
    /// Adds input and writes the output samples that became ready into <paramref name="output"/>,
    /// which must hold <see cref="OutputLengthFor"/>(input.Length) samples.
    /// </summary>
    /// <returns>The number of samples written.</returns>
    public int Push(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_flushed)
        {
            throw new InvalidOperationException("the stream was flushed; call Reset to start a new one");
        }

        var expected = OutputLengthFor(input.Length);
        if (output.Length < expected)
        {
            throw new ArgumentException($"output holds {output.Length} samples, this push writes {expected}", nameof(output));
        }

        if (_kernel is null)
        {
            input.CopyTo(output);
            _totalInput += input.Length;
            return input.Length;
        }

        var written = 0;
        while (!input.IsEmpty)
        {
            var take = Math.Min(_buffer.Length - _count, input.Length);
            input[..take].CopyTo(_buffer.AsSpan(_count));
            _count += take;
            _totalInput += take;
            input = input[take..];
            written += Drain(_kernel, output[written..], long.MaxValue);
        }

        return written;
    }

    /// <summary>Adds input and returns the output samples that became ready (allocates the result).</summary>
    public float[] Push(ReadOnlySpan<float> input)
    {
        var output = new float[OutputLengthFor(input.Length)];
        Push(input, output);
        return output;
    }

    /// <summary>
    /// Ends the stream: writes the remaining <see cref="FlushLength"/> samples (input beyond the
    /// end counts as zeros). Call <see cref="Reset"/> to start a new stream.
    /// </summary>
    /// <returns>The number of samples written.</returns>
    public int Flush(Span<float> output)
    {
        var expected = FlushLength;
        if (output.Length < expected)
        {
            throw new ArgumentException($"output holds {output.Length} samples, the flush writes {expected}", nameof(output));
        }

        _flushed = true;
        if (_kernel is null)
        {
            return 0;
        }

        var end = _kernel.OutputLength(_totalInput);
        var written = 0;
        while (_next < end)
        {
            var zeros = _buffer.Length - _count;
            Array.Clear(_buffer, _count, zeros);
            _count += zeros;
            written += Drain(_kernel, output[written..], end);
        }

        return written;
    }

    /// <summary>Ends the stream and returns the remaining samples (allocates the result).</summary>
    public float[] Flush()
    {
        var output = new float[FlushLength];
        Flush(output);
        return output;
    }

    /// <summary>Forgets all input: the next push starts a new stream at time 0.</summary>
    public void Reset()
    {
        // The first output reads Half - 1 samples before time 0: start with those zeros in place.
        var history = _kernel is null ? 0 : _kernel.Half - 1;
        Array.Clear(_buffer);
        _bufferStart = -history;
        _count = history;
        _next = 0;
        _totalInput = 0;
        _flushed = false;
    }

    private int Drain(ResamplerKernel kernel, Span<float> output, long end)
    {
        var written = 0;
        var bufferEnd = _bufferStart + _count;
        while (_next < end)
        {
            var first = kernel.FirstInput(_next);
            if (first + kernel.Taps > bufferEnd)
            {
                break;
            }

            var window = _buffer.AsSpan((int)(first - _bufferStart), kernel.Taps);
            output[written++] = kernel.Apply(_next, window, _scratch);
            _next++;
        }

        // Keep only what the next output still reads (if its window starts beyond the buffer,
        // the buffer empties and restarts at its end).
        var drop = (int)Math.Clamp(kernel.FirstInput(_next) - _bufferStart, 0, _count);
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _count - drop);
            _count -= drop;
            _bufferStart += drop;
        }

        return written;
    }
}
