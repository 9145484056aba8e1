using AvatarLab.Inference.Sampling;
using AvatarLab.Inference.Telemetry;
using AvatarLab.Inference.Tests.Sampling;

namespace AvatarLab.Inference.Tests.Telemetry;

public class TimelineSummaryTests
{
    private const int Fps = 25;

    /// <summary>A real stream of the 3-layer fixture over <paramref name="blocks"/> blocks after the first clip, written to memory.</summary>
    private static byte[] Record(SamplerOptions options, int blocks = 6)
    {
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var shape = model.Shape;
        using var sampler = model.CreateStream(options);
        var frames = model.Window.Clip + blocks * model.Window.Block;
        var rng = new Random(5);
        float[] Features(int dim) => Enumerable.Range(0, frames * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        sampler.Push(Features(shape.AvatarAudioDim), Features(shape.UserAudioDim), Features(shape.UserMotionDim));
        var memory = new MemoryStream();
        var header = new TelemetryHeader
        {
            Model = "tiny-3layer", ModelVersion = "1", Fps = Fps, LatentDim = shape.LatentDim, Channels = [], Sampler = "AvatarForcing",
            Schedule = options.Schedule.ToString(), Nfe = sampler.Nfe, AvatarAudioScale = 2, UserScale = 1, Seed = options.Seed,
            Dropped = options.Drop.ToString(), Device = "CPU",
        };
        using (var writer = new TelemetryWriter(memory, header, ownsStream: false))
        {
            while (sampler.Next() is { } block)
            {
                writer.Write(block);
            }
        }

        return memory.ToArray();
    }

    [Fact]
    public void SaveThenLoad_OfARunWithAttention_GivesBackEveryArrayAndBlock()
    {
        // Arrange
        var summary = TimelineSummary.Read(new MemoryStream(Record(new SamplerOptions { Seed = 4, Attention = AttentionCapture.EveryStep })));
        var saved = new MemoryStream();

        // Act
        summary.Save(saved);
        saved.Position = 0;
        var loaded = TimelineSummary.Load(saved);

        // Assert: bit for bit (NaN where nothing was recorded included), blocks with their timings and file offsets.
        Assert.Equal(summary.Frames, loaded.Frames);
        Assert.Equal(summary.Steps, loaded.Steps);
        Assert.Equal(summary.Header, loaded.Header with { Channels = summary.Header.Channels, Timesteps = summary.Header.Timesteps });
        Assert.Equal(summary.Header.Timesteps, loaded.Header.Timesteps);
        Assert.Equal(summary.Schedule, loaded.Schedule);
        Assert.Equal(summary.RecentSelfShare, loaded.RecentSelfShare);
        Assert.Equal(summary.OlderSelfShare, loaded.OlderSelfShare);
        Assert.Equal(summary.CrossOffset, loaded.CrossOffset);
        Assert.Equal(summary.GuidanceEffect, loaded.GuidanceEffect);
        Assert.Equal(summary.Blocks.Count, loaded.Blocks.Count);
        for (var i = 0; i < summary.Blocks.Count; i++)
        {
            var (a, b) = (summary.Blocks[i], loaded.Blocks[i]);
            Assert.Equal((a.Index, a.FirstFrame, a.NewFrames, a.CallStart, a.CallFrames, a.Offset, a.Length), (b.Index, b.FirstFrame, b.NewFrames, b.CallStart, b.CallFrames, b.Offset, b.Length));
            Assert.Equal(a.AttentionSteps, b.AttentionSteps);
            Assert.Equal(a.Timings.DenoiseSteps, b.Timings.DenoiseSteps);
            Assert.Equal(a.ComputeMs, b.ComputeMs);
        }

        Assert.True(loaded.HasAttention);
        Assert.Contains(loaded.RecentSelfShare, v => !float.IsNaN(v));
    }

    [Fact]
    public void Load_OfTelemetryOrATruncatedFile_SaysWhatIsWrong()
    {
        // Arrange
        var telemetry = Record(new SamplerOptions { Seed = 4 }, blocks: 1);
        var saved = new MemoryStream();
        TimelineSummary.Read(new MemoryStream(telemetry)).Save(saved);
        var truncated = saved.ToArray()[..^8];

        // Act + Assert
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => TimelineSummary.Load(new MemoryStream(telemetry))).Message);
        Assert.Throws<InvalidDataException>(() => TimelineSummary.Load(new MemoryStream(truncated)));
    }

    [Fact]
    public void Read_PlacesEachFramesScheduleAndBlock_AsTheRawRecordsSayIt()
    {
        // Arrange
        var bytes = Record(new SamplerOptions { Seed = 1, Attention = AttentionCapture.FinalStep });
        var raw = new TelemetryReader(new MemoryStream(bytes)).Blocks().ToList();

        // Act
        var summary = TimelineSummary.Read(new MemoryStream(bytes));

        // Assert: every generated frame belongs to exactly one block, and its schedule row is
        // that block's timesteps for the frame (context frames of the call excluded).
        Assert.Equal(raw.Count, summary.Blocks.Count);
        Assert.Equal(raw.Sum(b => b.Block.NewFrames), summary.Frames);
        foreach (var (record, arrays) in raw)
        {
            var firstNoisy = (int)(record.FirstFrame - record.CallStart);
            Assert.True(firstNoisy > 0 || record.Block == 0);
            for (var f = 0; f < record.NewFrames; f++)
            {
                var frame = record.FirstFrame + f;
                Assert.Equal(record.Block, summary.BlockAt(frame)!.Index);
                for (var s = 0; s < record.Steps; s++)
                {
                    Assert.Equal(arrays["timesteps"][s * record.CallFrames + firstNoisy + f], summary.Schedule[frame * summary.Steps + s]);
                }
            }
        }

        Assert.Null(summary.BlockAt(summary.Frames));
        Assert.Null(summary.BlockAt(-1));
        Assert.Equal(1000f, summary.Schedule[(summary.Frames - 1) * summary.Steps], 1f);
        Assert.Equal(0f, summary.Schedule[summary.Frames * summary.Steps - 1]);
    }

    [Fact]
    public void Read_SummarisesAttention_AsSharesThatAddUpWithTheRestOfTheRow()
    {
        // Arrange
        var bytes = Record(new SamplerOptions { Seed = 2, Attention = AttentionCapture.FinalStep });
        var raw = new TelemetryReader(new MemoryStream(bytes)).Blocks().ToList();

        // Act
        var summary = TimelineSummary.Read(new MemoryStream(bytes));

        // Assert: recent + older + (the frame itself, its block and lookahead) = 1 per branch;
        // the rest is checked against the raw weights of one late frame.
        Assert.True(summary.HasAttention);
        var (record, arrays) = raw[^1];
        var view = BlockAttention.From(record, arrays, record.AttentionSteps[^1]);
        var frame = record.FirstFrame + 3;
        var query = (int)(frame - record.CallStart);
        for (var b = 0; b < 3; b++)
        {
            double ownAndLater = 0;
            for (var k = 0; k < view.SelfKeys; k++)
            {
                if (view.SelfKeyFrame(k) >= frame)
                {
                    ownAndLater += view.SelfMean(b, query, k);
                }
            }

            var recent = summary.RecentSelfShare[frame * 3 + b];
            var older = summary.OlderSelfShare[frame * 3 + b];
            Assert.InRange(recent, 0f, 1f);
            Assert.InRange(older, 0f, 1f);
            Assert.Equal(1.0, recent + older + ownAndLater, 2);
            Assert.InRange(summary.CrossOffset[frame * 3 + b], -record.PastCross - 1, view.CrossKeys);
        }

        // The first block has nothing older than a second before its first frames.
        Assert.Equal(0f, summary.OlderSelfShare[0]);
    }

    [Fact]
    public void Read_GuidanceEffectOfTheUser_IsZeroWhenTheUsersStreamsAreDropped()
    {
        // Arrange: with the user's audio and motion dropped, the user-only branch sees what the
        // unconditional branch sees, so v_user - v_none is exactly 0; the avatar branch still differs.
        var dropped = Record(new SamplerOptions { Seed = 4, Drop = DroppedConditions.UserAudio | DroppedConditions.UserMotion });
        var full = Record(new SamplerOptions { Seed = 4 });

        // Act
        var withoutUser = TimelineSummary.Read(new MemoryStream(dropped));
        var withUser = TimelineSummary.Read(new MemoryStream(full));

        // Assert
        for (var f = 0; f < withoutUser.Frames; f++)
        {
            Assert.Equal(0f, withoutUser.GuidanceEffect[f * 2 + 1]);
            Assert.True(withoutUser.GuidanceEffect[f * 2] > 0);
            Assert.True(withUser.GuidanceEffect[f * 2 + 1] > 0);
        }
    }

    [Fact]
    public void Read_StaggeredSchedule_GivesFramesOfOneBlockDifferentNoiseAtOnePass()
    {
        // Arrange
        var bytes = Record(new SamplerOptions { Seed = 5, Schedule = NoiseSchedule.Staggered, Attention = AttentionCapture.Off });

        // Act
        var summary = TimelineSummary.Read(new MemoryStream(bytes));

        // Assert: in the last block, the first frame is less noisy than the last at pass 1.
        var last = summary.Blocks[^1];
        var first = summary.Schedule[last.FirstFrame * summary.Steps + 1];
        var end = summary.Schedule[(last.FirstFrame + last.NewFrames - 1) * summary.Steps + 1];
        Assert.True(first < end, $"staggered: first frame t={first}, last frame t={end}");
        Assert.False(summary.HasAttention);
        Assert.True(float.IsNaN(summary.RecentSelfShare[0]));
    }

    [Fact]
    public void SelfMatrix_AveragesTheLayersAndHeadsLeftOpen()
    {
        // Arrange
        var bytes = Record(new SamplerOptions { Seed = 6, Attention = AttentionCapture.FinalStep }, blocks: 1);
        var (record, arrays) = new TelemetryReader(new MemoryStream(bytes)).Blocks().Last();
        var view = BlockAttention.From(record, arrays, record.AttentionSteps[^1]);

        // Act
        var oneHead = view.SelfMatrix(1, 2, 0);
        var layerMean = view.SelfMatrix(1, null, 0);
        var all = view.SelfMatrix(null, null, null);

        // Assert
        Assert.Equal(view.Frames * view.SelfKeys, oneHead.Length);
        Assert.Equal(view.Self(1, 0, 2, 4, 3), oneHead[4 * view.SelfKeys + 3]);
        var expected = Enumerable.Range(0, view.Heads).Average(h => view.Self(1, 0, h, 4, 3));
        Assert.Equal(expected, layerMean[4 * view.SelfKeys + 3], 5);
        for (var q = 0; q < view.Frames; q++)
        {
            Assert.Equal(1.0, all.Skip(q * view.SelfKeys).Take(view.SelfKeys).Sum(), 2);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => view.SelfMatrix(view.Layers, null, null));
        Assert.Null(BlockAttention.TryFrom(record, arrays, 0));
    }
}
