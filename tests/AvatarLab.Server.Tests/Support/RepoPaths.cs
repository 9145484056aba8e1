namespace AvatarLab.Server.Tests.Support;

/// <summary>Paths inside the repository, found by walking up from the test binaries to AvatarLab.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> _root = new(FindRoot);

    /// <summary>The repository root (the folder holding AvatarLab.sln).</summary>
    public static string Root => _root.Value;

    /// <summary>A file of the example conversation (training/example).</summary>
    public static string Example(string file) => Path.Combine(Root, "training", "example", file);

    /// <summary>A folder or file under tests/fixtures.</summary>
    public static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", name);

    /// <summary>A path under src/AvatarLab.Server.</summary>
    public static string Server(string relative) => Path.Combine(Root, "src", "AvatarLab.Server", relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AvatarLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AvatarLab.sln not found above {AppContext.BaseDirectory}");
    }
}
