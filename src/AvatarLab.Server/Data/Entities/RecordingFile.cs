namespace AvatarLab.Server.Data.Entities;

public enum RecordingFileKind
{
    AvatarAudio,
    UserAudio,
    UserVideo,
    UserMotion,
    Portrait,
}

/// <summary>Where a user motion track came from.</summary>
public enum MotionSource
{
    /// <summary>A face-params/1 track file the researcher uploaded.</summary>
    Uploaded,

    /// <summary>Face tracking in the browser over the uploaded user video.</summary>
    BrowserTracking,
}

/// <summary>One file of a recording, with what validation learned about it.</summary>
public sealed class RecordingFile
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid RecordingId { get; set; }
    public RecordingFileKind Kind { get; set; }
    public required string Sha256 { get; set; }
    public required string FileName { get; set; }
    public string ContentType { get; set; } = "application/octet-stream";
    public long Bytes { get; set; }
    public double? DurationSeconds { get; set; }

    /// <summary>Audio: sample rate and channels of the file as uploaded.</summary>
    public int? SampleRate { get; set; }

    public int? Channels { get; set; }

    /// <summary>Video and portrait: pixel size; video and motion: frames and fps.</summary>
    public int? Width { get; set; }

    public int? Height { get; set; }
    public int? Frames { get; set; }
    public double? Fps { get; set; }
    public MotionSource? MotionSource { get; set; }

    /// <summary>The decoder's own description (codec, encoding), shown in the UI.</summary>
    public string Details { get; set; } = "";
}
