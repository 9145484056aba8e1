using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

/// <summary>Causality and determinism of the engine's samplers on a real multi-layer package.</summary>
public class StreamingSamplerBehaviourTests
{
    private static float[] Run(AvatarModel model, GoldenCase golden, SamplerOptions options, Action<float[], float[], float[]>? edit = null)
    {
        var aa = ((float[])golden.AvatarAudio.Data).ToArray();
        var ua = ((float[])golden.UserAudio.Data).ToArray();
        var um = ((float[])golden.UserMotion.Data).ToArray();
        edit?.Invoke(aa, ua, um);
        return StreamRunner.Run(model.CreateStream(options), aa, ua, um, golden.Frames, model.Shape);
    }

    [Theory]
    [InlineData(SamplerKind.AvatarForcing)]
    [InlineData(SamplerKind.Recomputed)]
    public void Stream_InputsAfterABlockChange_FramesUpToItStayIdentical(SamplerKind kind)
    {
        var golden = GoldenCase.For("tiny-3layer");
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var w = model.Window;
        var cut = (int)(w.BlockStart(3) + w.Block); // end of block 3
        var options = new SamplerOptions { Kind = kind, Seed = 5 };
        var baseline = Run(model, golden, options);
        var changed = Run(model, golden, options, (aa, ua, um) =>
        {
            for (var i = cut * model.Shape.AvatarAudioDim; i < aa.Length; i++)
            {
                aa[i] += 1f;
            }

            for (var i = cut * model.Shape.UserMotionDim; i < um.Length; i++)
            {
                um[i] = -um[i];
            }
        });

        var d = model.Shape.LatentDim;
        Assert.Equal(baseline.AsSpan(0, cut * d).ToArray(), changed.AsSpan(0, cut * d).ToArray());
        Assert.True(StreamRunner.MaxAbsDiff(baseline, changed) > 1e-4, "later inputs changed nothing: the check proves nothing");
    }

    [Fact]
    public void Stream_ClampToLatentRange_EveryFrameInsideTheFaceParamsRanges()
    {
        // The fixture's random weights drive values far outside the ranges: the clamp has work.
        var golden = GoldenCase.For("tiny-3layer");
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var d = model.Shape.LatentDim;
        int Outside(float[] frames) => frames.Where((v, i) => v < AvatarLab.Inference.Motion.FaceParams.Ranges[i % d].Min || v > AvatarLab.Inference.Motion.FaceParams.Ranges[i % d].Max).Count();
        var plain = Run(model, golden, new SamplerOptions { Seed = 3 });
        var sampler = model.CreateStream(new SamplerOptions { Seed = 3, ClampToLatentRange = true });

        var clamped = StreamRunner.Run(sampler, (float[])golden.AvatarAudio.Data, (float[])golden.UserAudio.Data,
            (float[])golden.UserMotion.Data, golden.Frames, model.Shape);

        Assert.True(Outside(plain) > 0, "the unclamped stream stays in range: the check proves nothing");
        Assert.Equal(0, Outside(clamped));
        Assert.True(sampler.ClampsToLatentRange);
        Assert.True(sampler.ClampedValues >= Outside(plain) / 2, $"{sampler.ClampedValues} clamped values");
        Assert.False(model.CreateStream(new SamplerOptions()).ClampsToLatentRange); // the fixture's manifest leaves it off
    }

    [Fact]
    public void Stream_SameSeedAndInputs_GivesIdenticalFrames_OtherSeedDiffers()
    {
        var golden = GoldenCase.For("tiny-3layer");
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var a = Run(model, golden, new SamplerOptions { Seed = 42 });
        var b = Run(model, golden, new SamplerOptions { Seed = 42 });
        var c = Run(model, golden, new SamplerOptions { Seed = 43 });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Stream_FinalStepAttention_RowsSumToOne()
    {
        var golden = GoldenCase.For("tiny-3layer");
        using var model = AvatarModel.Open(GoldenCase.PackagePath("tiny-3layer"));
        var sampler = model.CreateStream(new SamplerOptions { Attention = AttentionCapture.FinalStep });
        sampler.Push(Rows(golden.AvatarAudio), Rows(golden.UserAudio), Rows(golden.UserMotion));
        sampler.Next();
        var block = sampler.Next()!;
        var snapshot = Assert.Single(block.Attention);
        Assert.Equal(block.Steps - 1, snapshot.Step);
        Assert.Equal(model.Window.SelfCache, snapshot.Past);
        for (var q = 0; q < snapshot.Frames; q++)
        {
            var sum = 0.0;
            for (var k = 0; k < snapshot.SelfKeys; k++)
            {
                sum += snapshot.SelfWeight(1, 2, 0, q, k);
            }

            // Snapshots are float16 (3 significant digits): 50 rounded weights sum to 1 within ~1e-3.
            Assert.Equal(1.0, sum, 2);
            // Block-causal with lookahead: no weight on keys more than `lookahead` frames ahead.
            var queryPosition = block.CallStart + q;
            for (var k = 0; k < snapshot.SelfKeys; k++)
            {
                if (block.CallStart - snapshot.Past + k > queryPosition + model.Window.Lookahead)
                {
                    Assert.Equal(0f, snapshot.SelfWeight(1, 2, 0, q, k));
                }
            }
        }

        float[] Rows(AvatarLab.Inference.IO.NpyArray a) => GoldenCase.Rows(a, 0, model.Window.Clip + model.Window.Block);
    }
}
