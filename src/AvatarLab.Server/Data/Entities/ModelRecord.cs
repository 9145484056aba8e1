namespace AvatarLab.Server.Data.Entities;

public enum ModelOrigin
{
    /// <summary>A folder or .zip named in configuration (Models:Register), registered at start.</summary>
    Configured,

    /// <summary>A .zip uploaded through the UI or the API, kept in the data folder.</summary>
    Uploaded,
}

/// <summary>A registered model package, validated by the engine.</summary>
public sealed class ModelRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string Version { get; set; }
    public string Description { get; set; } = "";
    public ModelOrigin Origin { get; set; }

    /// <summary>Configured: the folder or .zip path. Uploaded: null (the zip is <see cref="PackageSha256"/>).</summary>
    public string? SourcePath { get; set; }

    public string? PackageSha256 { get; set; }
    public string? UploadedFileName { get; set; }

    /// <summary>The manifest as read (avatarlab-model.json).</summary>
    public string ManifestJson { get; set; } = "{}";

    public int LatentDim { get; set; }
    public int Fps { get; set; }
    public int BlockFrames { get; set; }
    public int Layers { get; set; }
    public bool HasAttentionOutputs { get; set; }
    public DateTime RegisteredAt { get; set; } = DateTime.UtcNow;
    public string? RegisteredById { get; set; }

    /// <summary>Why a configured package no longer loads (checked at every start); null when it does.</summary>
    public string? LoadError { get; set; }

    /// <summary>Hidden from pickers; sessions that used it keep their link.</summary>
    public bool Archived { get; set; }
}
