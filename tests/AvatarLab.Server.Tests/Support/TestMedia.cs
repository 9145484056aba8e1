using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AvatarLab.Server.Tests.Support;

/// <summary>Inputs made at test time (nothing binary is committed): WAVs, cut motion tracks, zipped packages.</summary>
public static class TestMedia
{
    /// <summary>The example conversation's frame rate (training/example/user_motion.csv).</summary>
    public const int MotionFps = 25;

    /// <summary>
    /// A 16-bit PCM mono WAV: a 220 Hz tone under noise from <paramref name="seed"/>, so that
    /// different seeds give different bytes (different entries in the content-addressed store).
    /// </summary>
    public static byte[] Wav(double seconds, int sampleRate = 16000, int seed = 1)
    {
        var samples = (int)Math.Round(seconds * sampleRate);
        var random = new Random(seed);
        var data = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = 0.3 * Math.Sin(2 * Math.PI * 220 * i / sampleRate) + 0.05 * (random.NextDouble() - 0.5);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), (short)(value * short.MaxValue));
        }

        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8);
            w.Write(36 + data.Length);
            w.Write("WAVE"u8);
            w.Write("fmt "u8);
            w.Write(16);
            w.Write((short)1); // PCM
            w.Write((short)1); // mono
            w.Write(sampleRate);
            w.Write(sampleRate * 2);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(data.Length);
            w.Write(data);
        }

        return stream.ToArray();
    }

    /// <summary>The first <paramref name="seconds"/> of the example's user motion track (header kept).</summary>
    public static byte[] ExampleMotion(double seconds)
    {
        var lines = File.ReadAllLines(RepoPaths.Example("user_motion.csv"));
        var frames = (int)Math.Round(seconds * MotionFps);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1 + frames)) + "\n");
    }

    /// <summary>A package folder as a .zip with the files at its root.</summary>
    public static byte[] Zip(string folder)
    {
        using var stream = new MemoryStream();
        ZipFile.CreateFromDirectory(folder, stream, CompressionLevel.Fastest, includeBaseDirectory: false);
        return stream.ToArray();
    }
}
