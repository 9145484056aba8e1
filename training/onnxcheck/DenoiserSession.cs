using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AvatarLab.OnnxCheck;

/// <summary>
/// One <see cref="InferenceSession"/> on a denoiser.onnx, run on the CPU, that checks cases.
/// </summary>
internal sealed class DenoiserSession : IDisposable
{
    /// <summary>The developer machines and CI have 2 cores.</summary>
    private const int IntraOpThreads = 2;

    private readonly SessionOptions _options;
    private readonly InferenceSession _session;

    private DenoiserSession(string modelPath, SessionOptions options, InferenceSession session)
    {
        ModelPath = modelPath;
        _options = options;
        _session = session;
    }

    public string ModelPath { get; }

    public IReadOnlyDictionary<string, NodeMetadata> Inputs => _session.InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> Outputs => _session.OutputMetadata;

    /// <summary>Opens denoiser.onnx in a package folder, or the given .onnx file.</summary>
    public static DenoiserSession Open(string packageOrModelPath)
    {
        var modelPath = Directory.Exists(packageOrModelPath)
            ? Path.Combine(packageOrModelPath, "denoiser.onnx")
            : packageOrModelPath;
        if (!File.Exists(modelPath))
        {
            throw new CheckInputException($"missing model file '{modelPath}'");
        }

        // The GPU build of ONNX Runtime uses CUDA only when asked to; the check stays on the CPU
        // so that it runs anywhere and compares like with like against the exporter's CPU run.
        var options = new SessionOptions { IntraOpNumThreads = IntraOpThreads };
        try
        {
            options.AppendExecutionProvider_CPU();
            return new DenoiserSession(modelPath, options, new InferenceSession(modelPath, options));
        }
        catch (OnnxRuntimeException ex)
        {
            options.Dispose();
            throw new CheckInputException($"cannot load model '{modelPath}': {ex.Message}");
        }
    }

    /// <summary>
    /// Runs one case, feeding every input the model declares and requesting every output that
    /// has an expected file. Bad case files throw <see cref="CheckInputException"/>; a model
    /// that fails to run is reported in the result.
    /// </summary>
    public CaseResult Check(CaseFolder folder, double tolerance, TextWriter notes)
    {
        var expected = LoadExpected(folder);
        var inputs = LoadInputs(folder);
        foreach (var extra in folder.InputNames().Where(name => !Inputs.ContainsKey(name)))
        {
            notes.WriteLine($"note: '{folder.InputPath(extra)}' is not a model input; ignored");
        }

        List<OrtValue> values = [];
        try
        {
            values.AddRange(inputs.Select(input => input.Array.ToOrtValue()));
            // A failing run is reported on its case's line; ONNX Runtime's own log line would repeat it.
            using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var results = _session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, expected.Select(e => e.Name).ToList());
            var checks = expected.Zip(results, (e, actual) => OutputComparer.Compare(e.Name, actual, e.Array, tolerance)).ToList();
            return new CaseResult(folder.Name, checks, RunError: null);
        }
        catch (OnnxRuntimeException ex)
        {
            // Inputs were checked against the declared types and shapes above, so this is the model's failure.
            return new CaseResult(folder.Name, [], ex.Message.ReplaceLineEndings(" "));
        }
        finally
        {
            values.ForEach(value => value.Dispose());
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }

    private List<(string Name, NpyArray Array)> LoadExpected(CaseFolder folder)
    {
        var names = folder.ExpectedNames();
        if (names.Count == 0)
        {
            throw new CheckInputException($"case '{folder.Name}': no .npy files in '{Path.GetDirectoryName(folder.ExpectedPath("x"))}'");
        }

        var unknown = names.FirstOrDefault(name => !Outputs.ContainsKey(name));
        if (unknown is not null)
        {
            throw new CheckInputException(
                $"'{folder.ExpectedPath(unknown)}': the model has no output '{unknown}' (outputs: {string.Join(", ", Outputs.Keys)})");
        }

        return names.Select(name => (name, NpyReader.Read(folder.ExpectedPath(name)))).ToList();
    }

    private List<(string Name, NpyArray Array)> LoadInputs(CaseFolder folder)
    {
        List<(string, NpyArray)> inputs = [];
        foreach (var (name, metadata) in Inputs)
        {
            var path = folder.InputPath(name);
            if (!File.Exists(path))
            {
                throw new CheckInputException($"case '{folder.Name}': missing file '{path}' for model input '{name}'");
            }

            var array = NpyReader.Read(path);
            CheckMatchesDeclaration(path, name, metadata, array);
            inputs.Add((name, array));
        }

        return inputs;
    }

    /// <summary>Rejects an input whose type or fixed dimensions differ from the model's declaration.</summary>
    private static void CheckMatchesDeclaration(string path, string name, NodeMetadata metadata, NpyArray array)
    {
        var declaredType = metadata.IsTensor ? DTypeOf(metadata.ElementDataType) : null;
        if (declaredType != array.DType)
        {
            var declared = metadata.IsTensor ? TextFormat.ElementType(metadata.ElementDataType) : metadata.OnnxValueType.ToString();
            throw new CheckInputException($"'{path}': model input '{name}' is {declared}, the file holds '{array.DType.Descr()}'");
        }

        var dims = metadata.Dimensions;
        var fits = dims.Length == array.Shape.Length
            && dims.Zip(array.Shape).All(pair => pair.First < 0 || pair.First == pair.Second);
        if (!fits)
        {
            throw new CheckInputException(
                $"'{path}': shape {TextFormat.Shape(array.Shape)} does not fit model input '{name}' {TextFormat.DeclaredShape(metadata)}");
        }
    }

    private static NpyDType? DTypeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float => NpyDType.Float32,
        TensorElementType.Double => NpyDType.Float64,
        TensorElementType.Int64 => NpyDType.Int64,
        _ => null,
    };
}
