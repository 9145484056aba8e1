using AvatarLab.Cli;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Cli;

/// <summary>The `avatarlab` command line end to end, in-process, on the example conversation.</summary>
public sealed class CliRunTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("avatarlab-cli-").FullName;

    private static string Example(string file) => Path.Combine(RepoPaths.Root, "training", "example", file);

    private static async Task<(int Code, string Out)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        try
        {
            return (await Commands.RunAsync(args, stdout, new StringWriter()), stdout.ToString());
        }
        catch (CliException ex)
        {
            return (2, ex.Message);
        }
    }

    [Fact]
    public async Task Run_ExampleConversation_WritesMotionTelemetrySummaryAndVideo()
    {
        var (code, output) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"),
            "--avatar-audio", Example("avatar.wav"), "--user-audio", Example("user.wav"), "--user-motion", Example("user_motion.csv"),
            "--out", _out, "--size", "64", "--seed", "3");

        Assert.Equal(0, code);
        Assert.Contains("real time", output);
        // 20 s = 500 frames; tiny-3layer: clip 20, block 5 -> every frame is generated.
        var motion = File.ReadAllLines(Path.Combine(_out, "motion.csv"));
        Assert.Equal(501, motion.Length);
        Assert.StartsWith("frame,time,head_yaw", motion[0]);
        using var telemetry = new TelemetryReader(File.OpenRead(Path.Combine(_out, "telemetry.altel")));
        Assert.Equal(3UL, telemetry.Header.Seed);
        var blocks = telemetry.Blocks().ToList();
        Assert.Equal(1 + (500 - 20) / 5, blocks.Count);
        Assert.Equal(20, blocks[0].Block.NewFrames);
        Assert.Equal(1000f, blocks[1].Arrays["timesteps"][2]);
        Assert.Contains("self_attention_8", blocks[1].Arrays.Keys);
        Assert.True(new FileInfo(Path.Combine(_out, "avatar.mp4")).Length > 1000);
        Assert.Contains("\"frames\": 500", File.ReadAllText(Path.Combine(_out, "run.json")));
    }

    [Fact]
    public async Task Run_AllOnnxPackage_UsesAudioEncoderMotionEncoderOnUserVideoAndPortraitRenderer()
    {
        var video = Path.Combine(_out, "user.mp4");
        var portrait = Path.Combine(_out, "portrait.png");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=30", "-t", "2", "-pix_fmt", "yuv420p", video);
        Ffmpeg("-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1", portrait);

        var (code, output) = await Run("run", "--model", RepoPaths.Fixture("all-onnx"), "--avatar-audio", Example("avatar.wav"),
            "--user-video", video, "--portrait", portrait, "--out", _out, "--size", "64");

        Assert.Equal(0, code);
        var motion = File.ReadAllLines(Path.Combine(_out, "motion.csv"));
        Assert.StartsWith("frame,time,latent_0", motion[0]);
        Assert.Equal(1 + 50, motion.Length); // the 2 s video bounds the run
        Assert.Contains("no user audio", output);
        Assert.True(File.Exists(Path.Combine(_out, "avatar.mp4")));
    }

    private static void Ffmpeg(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-y" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(start)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task Run_UnknownOption_FailsWithOneClearLine()
    {
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--speed", "2");
        Assert.Equal(2, code);
        Assert.Equal("unknown option '--speed' (see --help)", message);
    }

    [Fact]
    public async Task Run_MissingInputFile_NamesIt()
    {
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--user-audio", "/nope.wav");
        Assert.Equal(2, code);
        Assert.Contains("/nope.wav", message);
    }

    [Fact]
    public async Task Run_CorruptWav_NamesTheFileAndProblem()
    {
        var bad = Path.Combine(_out, "bad.wav");
        await File.WriteAllBytesAsync(bad, [.. "RIFF"u8, 1, 2, 3]);
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--avatar-audio", bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.wav", message);
    }

    [Fact]
    public async Task Run_BrokenPackage_ReportsTheContractViolation()
    {
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture(Path.Combine("broken", "no-velocity")), "--out", _out,
            "--avatar-audio", Example("avatar.wav"));
        Assert.Equal(2, code);
        Assert.Contains("velocity", message);
    }

    [Fact]
    public async Task Run_NfeBelowMinimum_NamesTheOption()
    {
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--nfe", "2");
        Assert.Equal(2, code);
        Assert.Equal("--nfe: 2 is outside 3..1000", message);
    }

    [Fact]
    public async Task Run_ClampNotOnOrOff_NamesTheChoices()
    {
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--clamp", "yes");
        Assert.Equal(2, code);
        Assert.Equal("--clamp: 'yes' is not one of on, off", message);
    }

    [Fact]
    public async Task Run_InputShorterThanTheFirstClip_SaysHowMuchIsNeeded()
    {
        var shortTrack = Path.Combine(_out, "short.csv");
        await File.WriteAllLinesAsync(shortTrack, File.ReadLines(Example("user_motion.csv")).Take(11));
        var (code, message) = await Run("run", "--model", RepoPaths.Fixture("tiny-3layer"), "--out", _out, "--user-motion", shortTrack);
        Assert.Equal(2, code);
        Assert.Contains("needs at least 0.80 s (20 frames)", message);
    }

    [Fact]
    public async Task Info_Fixture_PrintsItsSizes()
    {
        var (code, output) = await Run("info", "--model", RepoPaths.Fixture("tiny-1layer"));
        Assert.Equal(0, code);
        Assert.Contains("clip 20, block 5", output);
        Assert.Contains("device: CPU", output);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
