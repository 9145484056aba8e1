using System.Globalization;

namespace AvatarLab.OnnxCheck;

/// <summary>The parsed command line.</summary>
internal sealed record CheckOptions(string? ModelPath, string? CasesDirectory, double Tolerance, bool PrintIo, bool ShowHelp)
{
    /// <summary>
    /// Absolute tolerance on every output element. ONNX Runtime and PyTorch on the CPU agree
    /// to about 1e-6 on float32 transformers of this size; 1e-4 leaves room for fused kernels
    /// and softmax reordering while still catching a wrong mask or a wrong cache layout.
    /// </summary>
    public const double DefaultTolerance = 1e-4;

    public const string Usage =
        """
        Usage: avatarlab-onnxcheck --model <package dir or .onnx> (--cases <dir> | --print-io) [--tol 1e-4]

          --model <path>  model package folder holding denoiser.onnx, or an .onnx file
          --cases <dir>   folder with cases.json and <case>/inputs/*.npy, <case>/expected/*.npy
          --tol <value>   absolute tolerance per element (default 1e-4)
          --print-io      list the model's inputs and outputs with types and shapes
          --help          show this text

        Exit codes: 0 all outputs within tolerance, 1 a mismatch, 2 bad arguments or files.

        """;

    public static CheckOptions Parse(IReadOnlyList<string> args)
    {
        string? model = null;
        string? cases = null;
        var tolerance = DefaultTolerance;
        var printIo = false;

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--model":
                    model = ValueOf(args, ref i);
                    break;
                case "--cases":
                    cases = ValueOf(args, ref i);
                    break;
                case "--tol":
                    tolerance = ParseTolerance(ValueOf(args, ref i));
                    break;
                case "--print-io":
                    printIo = true;
                    break;
                case "-h" or "--help":
                    return new CheckOptions(null, null, tolerance, false, ShowHelp: true);
                default:
                    throw new CheckInputException($"unknown argument '{args[i]}' (see --help)");
            }
        }

        if (model is null)
        {
            throw new CheckInputException("--model is required (see --help)");
        }

        if (cases is null && !printIo)
        {
            throw new CheckInputException("--cases or --print-io is required (see --help)");
        }

        return new CheckOptions(model, cases, tolerance, printIo, ShowHelp: false);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new CheckInputException($"{args[i]} needs a value (see --help)");
        }

        i++;
        return args[i];
    }

    private static double ParseTolerance(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < 0)
        {
            throw new CheckInputException($"--tol must be a finite number >= 0, got '{text}'");
        }

        return value;
    }
}
