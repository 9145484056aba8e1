namespace AvatarLab.Server.Hosting;

// One options class per appsettings section (repository-root appsettings.json, then an optional
// appsettings.local.json, then environment variables such as Storage__DataDirectory). Relative
// paths are relative to the repository root (RepositoryPaths).

/// <summary>"Storage": where the database and the stored files live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the SQLite file and of the data folder (content-addressed files).</summary>
    public string DataDirectory { get; set; } = "db";

    /// <summary>Sqlite (default) or Postgres.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Empty: Data Source={DataDirectory}/avatarlab.db for SQLite. Required for Postgres.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>"Models": packages registered at every start.</summary>
public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>Model package folders or .zip files (default: the shipped reference model).</summary>
    public List<string> Register { get; set; } = [];
}

/// <summary>"Uploads": limits on what recordings and packages may be.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest single recording file (bytes).</summary>
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Longest recording stream (seconds).</summary>
    public double MaxSeconds { get; set; } = 1800;

    /// <summary>Largest model package .zip (bytes).</summary>
    public long MaxModelBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Streams of one recording may differ in length by at most this (seconds).</summary>
    public double LengthToleranceSeconds { get; set; } = 0.5;

    /// <summary>Sample rates accepted for audio (Hz), before resampling to the model's rate.</summary>
    public int MinSampleRate { get; set; } = 8000;

    public int MaxSampleRate { get; set; } = 192000;
}

/// <summary>"Inference": the worker that owns the engine (mapped onto the engine's InferenceOptions).</summary>
public sealed class InferenceWorkerOptions
{
    public const string Section = "Inference";

    /// <summary>Auto (CUDA when usable, else CPU), Cpu or Cuda.</summary>
    public string Device { get; set; } = "Auto";

    /// <summary>ONNX Runtime intra-op threads (1 ran the reference model fastest on 2 cores).</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Side of the rendered avatar video (pixels).</summary>
    public int FrameSize { get; set; } = 256;

    /// <summary>A job whose runs keep failing is left failed after this many attempts.</summary>
    public int MaxAttempts { get; set; } = 3;
}

/// <summary>"Accounts": who becomes admin.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>This email becomes admin when it registers; empty: the first account does.</summary>
    public string? AdminEmail { get; set; }
}

/// <summary>"Example": the first-run example session.</summary>
public sealed class ExampleOptions
{
    public const string Section = "Example";

    /// <summary>Import and run the example conversation once on a fresh database.</summary>
    public bool RunOnFirstStart { get; set; } = true;

    public string Folder { get; set; } = "training/example";
}
