using AvatarLab.Inference.IO;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Sampling;

/// <summary>
/// A golden sampler case written by training/avatarlab_train/golden.py: conditions, the noise
/// of every output frame, and the Python reference sampler's frames.
/// </summary>
internal sealed class GoldenCase
{
    private GoldenCase(string folder)
    {
        Folder = folder;
        AvatarAudio = Load("avatar_audio");
        UserAudio = Load("user_audio");
        UserMotion = Load("user_motion");
        Noise = Load("noise");
    }

    public string Folder { get; }
    public NpyArray AvatarAudio { get; }
    public NpyArray UserAudio { get; }
    public NpyArray UserMotion { get; }
    public NpyArray Noise { get; }
    public int Frames => (int)Noise.Shape[0];

    public static GoldenCase For(string package) => new(Path.Combine(RepoPaths.Fixture("golden"), "sampler", package));

    public static string PackagePath(string package) =>
        package == "reference" ? Path.Combine(RepoPaths.Root, "models", "reference") : RepoPaths.Fixture(package);

    public float[] Expected(string name) => (float[])Load(name).Data;

    public static float[] Rows(NpyArray array, int start, int count)
    {
        var dim = (int)array.Shape[1];
        return ((float[])array.Data).AsSpan(start * dim, count * dim).ToArray();
    }

    private NpyArray Load(string name) => NpyReader.Read(Path.Combine(Folder, name + ".npy"));
}
