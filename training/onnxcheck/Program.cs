// avatarlab-onnxcheck: runs an exported denoiser.onnx on cases written by the Python
// exporter and compares every output with the expected arrays.
//
//   dotnet run --project training/onnxcheck -c Release -- --model <package dir> --cases <dir> [--tol 1e-4]
//   dotnet run --project training/onnxcheck -c Release -- --model <package dir> --print-io
//
// Exit codes: 0 all within tolerance, 1 a mismatch, 2 bad arguments or files.
using AvatarLab.OnnxCheck;

try
{
    var options = CheckOptions.Parse(args);
    if (options.ShowHelp)
    {
        Console.Out.Write(CheckOptions.Usage);
        return ExitCodes.Ok;
    }

    return OnnxCheckCommand.Run(options, Console.Out, Console.Error);
}
catch (Exception ex) when (ex is CheckInputException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return ExitCodes.BadInput;
}
