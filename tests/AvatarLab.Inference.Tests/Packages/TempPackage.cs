using System.IO.Compression;
using System.Text.Json.Nodes;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Packages;

/// <summary>A copy of a fixture package in a fresh temp folder, to break on purpose; deleted on dispose.</summary>
internal sealed class TempPackage : IDisposable
{
    private TempPackage(string root)
    {
        Root = root;
        Folder = Path.Combine(root, "package");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The temp folder; the package is in <see cref="Folder"/>.</summary>
    public string Root { get; }

    public string Folder { get; }

    public static TempPackage Empty() => new(Directory.CreateTempSubdirectory("avatarlab-test-").FullName);

    public static TempPackage CopyOf(string fixture)
    {
        var package = Empty();
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture(fixture)))
        {
            File.Copy(file, Path.Combine(package.Folder, Path.GetFileName(file)));
        }

        return package;
    }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public void EditManifest(Action<JsonObject> edit)
    {
        var path = PathOf(ModelPackageFiles.Manifest);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>Zips <see cref="Folder"/>, its files at the zip root or under one top-level folder.</summary>
    public string Zip(bool topLevelFolder, Action<ZipArchive>? extra = null)
    {
        var zipPath = Path.Combine(Root, "package.zip");
        using (var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.GetFiles(Folder))
            {
                var name = (topLevelFolder ? "my-model/" : "") + Path.GetFileName(file);
                archive.CreateEntryFromFile(file, name, CompressionLevel.Fastest);
            }

            extra?.Invoke(archive);
        }

        return zipPath;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
