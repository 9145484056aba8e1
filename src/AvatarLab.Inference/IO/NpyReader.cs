using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace AvatarLab.Inference.IO;

/// <summary>
/// Reads .npy files (format versions 1.0 and 2.0) holding C-order little-endian float32,
/// float64 or int64 arrays, as numpy.save writes them. Anything else is rejected with a
/// <see cref="InvalidDataException"/> that names the file.
/// See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html.
/// </summary>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read '{path}': {ex.Message}");
        }

        try
        {
            return Parse(bytes);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"bad .npy file '{path}': {ex.Message}");
        }
    }

    /// <summary>Parses the bytes of a .npy file; throws <see cref="FormatException"/> on bad input.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes)
    {
        var (header, dataStart) = ReadHeader(bytes);
        var (dtype, shape) = ParseHeader(header);

        var count = ElementCount(shape);
        var dataLength = (long)count * dtype.ItemSize();
        var actualLength = bytes.Length - dataStart;
        if (actualLength != dataLength)
        {
            throw new FormatException(
                $"shape ({string.Join(", ", shape)}) of {dtype.Descr()} needs {dataLength} data bytes, file has {actualLength}");
        }

        var data = bytes[dataStart..];
        Array array = dtype switch
        {
            NpyDType.Float32 => MemoryMarshal.Cast<byte, float>(data).ToArray(),
            NpyDType.Float64 => MemoryMarshal.Cast<byte, double>(data).ToArray(),
            NpyDType.Int64 => MemoryMarshal.Cast<byte, long>(data).ToArray(),
            _ => throw new InvalidOperationException($"unhandled dtype {dtype}"),
        };
        return new NpyArray(dtype, shape, array);
    }

    private static (string Header, int DataStart) ReadHeader(ReadOnlySpan<byte> bytes)
    {
        // The casts above reinterpret the file's little-endian bytes in place.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the .npy reader needs a little-endian machine");
        }

        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new FormatException("not a .npy file (magic string missing)");
        }

        // Version 1.0 stores the header length in 2 bytes, 2.0 in 4; the header follows it.
        int major = bytes[6], minor = bytes[7];
        (int headerStart, long headerLength) = (major, minor) switch
        {
            (1, 0) => (10, BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..])),
            (2, 0) when bytes.Length >= 12 => (12, (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])),
            _ => throw new FormatException($"unsupported format version {major}.{minor} (supported: 1.0, 2.0)"),
        };

        if (headerLength > bytes.Length - headerStart)
        {
            throw new FormatException($"header length {headerLength} runs past the end of the file");
        }

        var end = headerStart + (int)headerLength;
        return (Encoding.Latin1.GetString(bytes[headerStart..end]), end);
    }

    private static (NpyDType DType, long[] Shape) ParseHeader(string header)
    {
        // The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 12), }
        var descr = DescrPattern().Match(header);
        var fortran = FortranOrderPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new FormatException($"header lacks 'descr', 'fortran_order' or 'shape': {header.Trim()}");
        }

        var dtype = NpyDTypeExtensions.FromDescr(descr.Groups[1].Value)
            ?? throw new FormatException($"unsupported dtype '{descr.Groups[1].Value}' (supported: '<f4', '<f8', '<i8')");

        if (fortran.Groups[1].Value == "True")
        {
            throw new FormatException("Fortran-order arrays are not supported (save np.ascontiguousarray(a))");
        }

        return (dtype, ParseShape(shape.Groups[1].Value));
    }

    private static long[] ParseShape(string tuple)
    {
        // "" for a 0-d scalar, "3," for one dimension, "3, 0, 8" for several.
        var parts = tuple.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new FormatException($"bad shape ({tuple})");
            }
        }

        return shape;
    }

    private static int ElementCount(long[] shape)
    {
        if (shape.Contains(0))
        {
            return 0;
        }

        long count = 1;
        foreach (var dim in shape)
        {
            // Divide rather than multiply so that a huge dimension cannot overflow.
            if (dim > Array.MaxLength / count)
            {
                throw new FormatException($"shape ({string.Join(", ", shape)}) is too large to load");
            }

            count *= dim;
        }

        return (int)count;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
