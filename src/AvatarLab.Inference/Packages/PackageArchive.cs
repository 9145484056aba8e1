using System.IO.Compression;

namespace AvatarLab.Inference.Packages;

/// <summary>
/// Extracts a zipped package safely: no entry may leave the destination (zip-slip), and the
/// total size is capped both by the entries' declared sizes and by the bytes actually
/// written (a crafted archive can understate its sizes).
/// </summary>
internal static class PackageArchive
{
    // Added by macOS Finder's "Compress"; never part of a package.
    private const string MacMetadataFolder = "__MACOSX";

    public static void Extract(string zipPath, string destination, long maxBytes)
    {
        var zipName = Path.GetFileName(zipPath);
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            long declared = 0;
            foreach (var entry in archive.Entries)
            {
                CheckEntryName(zipName, entry.FullName);
                declared += entry.Length;
            }

            if (declared > maxBytes)
            {
                throw TooLarge(zipName, declared, maxBytes);
            }

            var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            long written = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.Split('/', '\\')[0] == MacMetadataFolder)
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
                if (!target.StartsWith(root, StringComparison.Ordinal) && target + Path.DirectorySeparatorChar != root)
                {
                    throw ZipSlip(zipName, entry.FullName);
                }

                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var input = entry.Open();
                using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
                written = CopyLimited(input, output, written, maxBytes, zipName);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ModelPackageException(zipName, $"not a valid zip archive: {ex.Message}", innerException: ex);
        }
        catch (IOException ex)
        {
            throw new ModelPackageException(zipName, $"cannot be extracted: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>The folder holding the manifest: the extraction root or its single top-level folder.</summary>
    public static string FindPackageRoot(string extracted, string zipName)
    {
        if (File.Exists(Path.Combine(extracted, ModelPackageFiles.Manifest)))
        {
            return extracted;
        }

        var top = Directory.GetFileSystemEntries(extracted)
            .Where(e => Path.GetFileName(e) != MacMetadataFolder)
            .ToArray();
        if (top.Length == 1 && Directory.Exists(top[0]) && File.Exists(Path.Combine(top[0], ModelPackageFiles.Manifest)))
        {
            return top[0];
        }

        throw new ModelPackageException(ModelPackageFiles.Manifest,
            $"not found at the root of {zipName} nor inside a single top-level folder");
    }

    private static void CheckEntryName(string zipName, string name)
    {
        var segments = name.Split('/', '\\');
        if (name.StartsWith('/') || name.StartsWith('\\') || name.Contains(':') || segments.Contains(".."))
        {
            throw ZipSlip(zipName, name);
        }
    }

    private static long CopyLimited(Stream input, Stream output, long written, long maxBytes, string zipName)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            written += read;
            if (written > maxBytes)
            {
                throw TooLarge(zipName, written, maxBytes);
            }

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private static ModelPackageException ZipSlip(string zipName, string entry) =>
        new(zipName, $"entry '{entry}' points outside the package (absolute path or '..'); refusing to extract it");

    private static ModelPackageException TooLarge(string zipName, long size, long maxBytes) =>
        new(zipName, $"uncompressed size exceeds the limit of {maxBytes:N0} bytes (at least {size:N0}); "
            + "raise ModelPackageOptions.MaxZipUncompressedBytes to load it");
}
