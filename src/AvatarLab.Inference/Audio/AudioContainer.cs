using System.Text;

namespace AvatarLab.Inference.Audio;

/// <summary>Recognises audio containers by their first bytes, so that a file's content, not its extension, decides how it is read.</summary>
internal static class AudioContainer
{
    /// <summary>Bytes <see cref="Identify"/> looks at.</summary>
    public const int SniffBytes = 12;

    /// <summary>
    /// A display name (<c>WAV</c>, <c>MP3</c>, <c>OGG</c>, <c>FLAC</c>, <c>M4A</c>, <c>MP4</c>,
    /// <c>WebM</c>) for the bytes a file starts with, or null when they match none.
    /// </summary>
    public static string? Identify(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8) || head[..4].SequenceEqual("BW64"u8)))
        {
            return "WAV";
        }

        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8))
        {
            return "MP3";
        }

        // An MPEG audio frame sync: 11 set bits, then layer bits that are not "reserved".
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0)
        {
            return (head[1] & 0x06) == 0x02 ? "MP3" : "MPEG audio";
        }

        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8))
        {
            return "OGG";
        }

        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8))
        {
            return "FLAC";
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head[8..12]);
            return brand.StartsWith("M4A", StringComparison.Ordinal) ? "M4A" : "MP4";
        }

        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
        {
            return "WebM";
        }

        return null;
    }

    /// <summary>A display name from the extension, for content nothing above recognises.</summary>
    public static string FromExtension(string path)
    {
        var extension = Path.GetExtension(path).TrimStart('.');
        return extension.Length == 0 ? "this format" : extension.ToUpperInvariant();
    }
}
