using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AvatarLab.Inference.Onnx;

/// <summary>
/// Names the library that keeps ONNX Runtime's CUDA provider from loading. ONNX Runtime's
/// exception only says "Failed to load shared library" (the cause goes to its log), so the
/// provider library is loaded once more here, where the loader's own message comes back.
/// </summary>
internal static partial class CudaLibraryProbe
{
    private const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    /// <summary>E.g. "libcublasLt.so.13 not found"; null when the cause cannot be found.</summary>
    public static string? WhyNotLoadable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var path = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", ProviderLibrary),
            Path.Combine(AppContext.BaseDirectory, ProviderLibrary),
        }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return $"{ProviderLibrary} not found next to the application";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException ex)
        {
            var missing = MissingLibrary().Match(ex.Message);
            return missing.Success ? $"{missing.Groups[1].Value} not found" : null;
        }
    }

    [GeneratedRegex(@"([\w.+-]+\.so[\w.]*): cannot open shared object file")]
    private static partial Regex MissingLibrary();
}
