using System.Security.Cryptography;
using AvatarLab.Server.Data;
using AvatarLab.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace AvatarLab.Server.Storage;

/// <summary>
/// The content-addressed data folder beside the database: every file is stored once under
/// data/ab/cdef... (its SHA-256) and written through a temporary file and a rename, so a
/// reader never sees half a file and a crash leaves at most an orphaned temporary file.
/// </summary>
public sealed class BlobStore
{
    private readonly string _root;
    private readonly string _temp;

    public BlobStore(string dataRoot)
    {
        Root = dataRoot;
        _root = Path.Combine(dataRoot, "data");
        _temp = Path.Combine(dataRoot, "tmp");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_temp);
    }

    /// <summary>The folder holding the database file, data/ (stored files) and tmp/.</summary>
    public string Root { get; }

    /// <summary>A fresh temporary file path inside the data root (same file system as the store, so moves are renames).</summary>
    public string NewTempPath(string extension = ".part") => Path.Combine(_temp, Guid.NewGuid().ToString("N") + extension);

    public string PathOf(string sha256) => Path.Combine(_root, sha256[..2], sha256);

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Hashes a finished file and moves it into the store (or drops it when the content is already there).</summary>
    public async Task<StoredFile> AdoptAsync(string tempPath, CancellationToken ct)
    {
        string sha;
        long bytes;
        await using (var stream = File.OpenRead(tempPath))
        {
            bytes = stream.Length;
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        }

        var target = PathOf(sha);
        if (File.Exists(target))
        {
            File.Delete(tempPath);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(tempPath, target, overwrite: true);
        }

        return new StoredFile { Sha256 = sha, Bytes = bytes };
    }

    /// <summary>Copies a file (left in place) into the store.</summary>
    public async Task<StoredFile> ImportCopyAsync(string path, CancellationToken ct)
    {
        var temp = NewTempPath(Path.GetExtension(path));
        File.Copy(path, temp);
        return await AdoptAsync(temp, ct);
    }

    /// <summary>Adds the StoredFile row unless the same content is already recorded.</summary>
    public static async Task TrackAsync(AvatarLabDbContext db, StoredFile file, CancellationToken ct)
    {
        if (db.StoredFiles.Local.Any(f => f.Sha256 == file.Sha256)
            || await db.StoredFiles.AnyAsync(f => f.Sha256 == file.Sha256, ct))
        {
            return;
        }

        db.StoredFiles.Add(file);
    }

    /// <summary>Removes temporary files older than a day (left by a crash mid-upload).</summary>
    public void SweepTemp()
    {
        foreach (var file in Directory.EnumerateFiles(_temp))
        {
            if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddDays(-1))
            {
                File.Delete(file);
            }
        }
    }

    public static void DeleteQuietly(string? path)
    {
        try
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // A temporary file that cannot be removed now is swept later.
        }
    }
}
