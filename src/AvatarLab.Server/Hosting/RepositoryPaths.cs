namespace AvatarLab.Server.Hosting;

/// <summary>
/// Resolves the repository root (the folder holding AvatarLab.sln) so that the root
/// appsettings.json and relative paths in it work from `dotnet run`, from the build output
/// and from tests alike. Outside a checkout the working directory is the root.
/// </summary>
public sealed class RepositoryPaths(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public static RepositoryPaths Discover()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AvatarLab.sln")))
                {
                    return new RepositoryPaths(dir.FullName);
                }
            }
        }

        return new RepositoryPaths(Directory.GetCurrentDirectory());
    }

    /// <summary>An absolute path as it is; a relative one under the root.</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));
}
