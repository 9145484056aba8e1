namespace AvatarLab.Inference.Runs;

/// <summary>Progress of a run: frames generated of the frames the inputs allow.</summary>
public readonly record struct RunProgress(int Frames, int TotalFrames, string Stage);
