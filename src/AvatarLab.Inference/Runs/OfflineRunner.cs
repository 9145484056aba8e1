using System.Diagnostics;
using System.Text.Json;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Packages;
using AvatarLab.Inference.Rendering;
using AvatarLab.Inference.Sampling;
using AvatarLab.Inference.Telemetry;

namespace AvatarLab.Inference.Runs;

/// <summary>
/// Runs recorded inputs through a model as a stream, exactly as a live session would see
/// them (features computed chunk by chunk, blocks generated as their inputs complete), and
/// writes the motion track, the telemetry, a summary and the rendered video.
/// </summary>
public static class OfflineRunner
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<OfflineRunResult> RunAsync(AvatarModel model, OfflineRunRequest request,
        IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var m = model.Manifest;
        var notes = new List<string>();
        var inputs = LoadInputs(m, request, notes, model.Package.AudioEncoder, model.Package.MotionEncoder);
        Directory.CreateDirectory(request.OutputDirectory);
        var files = new Dictionary<string, string>();

        using var sampler = model.CreateStream(request.Sampler);
        var renderer = CreateRenderer(model, request, notes, sampler);
        var exporter = StartExport(request, renderer, inputs.AvatarAudio, m.Fps, notes, files);
        var telemetryPath = Path.Combine(request.OutputDirectory, "telemetry.altel");
        var telemetry = new TelemetryWriter(File.Create(telemetryPath), Header(model, sampler), ownsStream: true);
        files["telemetry"] = telemetryPath;

        var latents = new List<float>(inputs.Frames * m.Latent.Dim);
        var blockCompute = new List<double>();
        var rgba = renderer is null ? [] : new byte[renderer.Width * renderer.Height * 4];
        var chunk = request.ChunkFrames > 0 ? request.ChunkFrames : m.Window.BlockFrames;
        var featuresMs = 0.0;
        try
        {
            for (var start = 0; start < inputs.Frames; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Math.Min(chunk, inputs.Frames - start);
                var featureStarted = Stopwatch.GetTimestamp();
                var avatarFeatures = inputs.AvatarFeatures.Next(n);
                var userFeatures = inputs.UserFeatures.Next(n);
                featuresMs += Stopwatch.GetElapsedTime(featureStarted).TotalMilliseconds;
                sampler.Push(avatarFeatures, userFeatures, inputs.UserMotion.AsSpan(start * inputs.MotionDim, n * inputs.MotionDim));

                while (sampler.Next() is { } block)
                {
                    block.Timings.FeaturesMs = featuresMs;
                    featuresMs = 0;
                    latents.AddRange(block.Latents);
                    if (renderer is not null)
                    {
                        var renderStarted = Stopwatch.GetTimestamp();
                        for (var f = 0; f < block.NewFrames; f++)
                        {
                            renderer.Render(block.Latents.AsSpan(f * m.Latent.Dim, m.Latent.Dim), rgba);
                            exporter?.Write(rgba);
                        }

                        block.Timings.RenderMs = Stopwatch.GetElapsedTime(renderStarted).TotalMilliseconds;
                    }

                    blockCompute.Add(block.Timings.ComputeMs);
                    telemetry.Write(block);
                    progress?.Report(new RunProgress((int)sampler.FramesGenerated, inputs.Frames, "generating"));
                }
            }

            if (exporter is not null)
            {
                progress?.Report(new RunProgress((int)sampler.FramesGenerated, inputs.Frames, "encoding"));
                await exporter.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            telemetry.Dispose();
            exporter?.Dispose();
            (renderer as IDisposable)?.Dispose();
        }

        var frames = latents.Count / m.Latent.Dim;
        if (frames < inputs.Frames)
        {
            notes.Add($"the last {inputs.Frames - frames} input frames do not fill a block of {m.Window.BlockFrames} and were not generated");
        }

        var motionPath = Path.Combine(request.OutputDirectory, "motion.csv");
        MotionTrackWriter.WriteCsv(new MotionTrack(latents.ToArray(), ChannelNames(m), m.Fps), motionPath);
        files["motion"] = motionPath;

        var result = Summarise(model, sampler, inputs.Frames, frames, blockCompute, wall.Elapsed.TotalSeconds, notes, files);
        var summaryPath = Path.Combine(request.OutputDirectory, "run.json");
        files["summary"] = summaryPath;
        await File.WriteAllTextAsync(summaryPath, JsonSerializer.Serialize(result, _json), cancellationToken);
        return result;
    }

    /// <summary>Channel names for the motion CSV and charts: the manifest's, else latent_0.. .</summary>
    public static IReadOnlyList<string> ChannelNames(ModelManifest m) =>
        m.Latent.Channels is { Count: > 0 } names ? names
        : m.Latent.Space == LatentSpec.FaceParams ? FaceParams.Names
        : Enumerable.Range(0, m.Latent.Dim).Select(i => $"latent_{i}").ToArray();

    private static RunInputs LoadInputs(ModelManifest m, OfflineRunRequest r, List<string> notes,
        Microsoft.ML.OnnxRuntime.InferenceSession? encoder, Microsoft.ML.OnnxRuntime.InferenceSession? motionEncoder)
    {
        var rate = m.SampleRate;
        var avatar = r.AvatarAudioPath is null ? null : AudioDecoder.Load(r.AvatarAudioPath, rate, r.MaxSeconds);
        var user = r.UserAudioPath is null ? null : AudioDecoder.Load(r.UserAudioPath, rate, r.MaxSeconds);
        MotionTrack? motion = null;
        float[]? encodedMotion = null;
        var motionSpec = m.Features.UserMotion;
        if (motionSpec.Type == UserMotionSpec.FaceParams)
        {
            if (r.UserVideoPath is not null)
            {
                notes.Add("model takes a face-params/1 track, not video: the user video was ignored");
            }

            if (r.UserMotionPath is not null)
            {
                motion = MotionTrackReader.Read(r.UserMotionPath, FaceParams.Names);
                if (Math.Abs(motion.Fps - m.Fps) > 1e-6)
                {
                    notes.Add($"user motion resampled from {motion.Fps:0.###} to {m.Fps} fps");
                    motion = motion.Resample(m.Fps);
                }
            }
        }
        else if (r.UserMotionPath is not null)
        {
            throw new ArgumentException($"model '{m.Name}' takes user motion from face crops (motion_encoder.onnx), not from a track file: give the user video");
        }
        else if (r.UserVideoPath is not null)
        {
            encodedMotion = EncodeVideo(r.UserVideoPath, new OnnxMotionEncoder(motionEncoder!, motionSpec.ImageSize, motionSpec.Dim), m.Fps, r.MaxSeconds);
        }

        var lengths = new List<(string Name, int Frames)>();
        if (avatar is not null)
        {
            lengths.Add(("avatar audio", avatar.Samples.Length / m.SamplesPerFrame));
        }

        if (user is not null)
        {
            lengths.Add(("user audio", user.Samples.Length / m.SamplesPerFrame));
        }

        if (motion is not null)
        {
            lengths.Add(("user motion", motion.Frames));
        }

        if (encodedMotion is not null)
        {
            lengths.Add(("user video", encodedMotion.Length / motionSpec.Dim));
        }

        if (lengths.Count == 0)
        {
            throw new ArgumentException("no input: give at least one of avatar audio, user audio, user motion");
        }

        var frames = lengths.Min(l => l.Frames);
        if (lengths.Max(l => l.Frames) - frames > m.Fps)
        {
            notes.Add("inputs differ in length (" + string.Join(", ", lengths.Select(l => $"{l.Name} {l.Frames / (double)m.Fps:0.00} s")) +
                      $"); the run covers the shortest, {frames / (double)m.Fps:0.00} s");
        }

        foreach (var (name, missing) in new[] { ("avatar audio", avatar is null), ("user audio", user is null), ("user motion", motion is null && encodedMotion is null) })
        {
            if (missing)
            {
                notes.Add($"no {name}: fed as zeros (a dropped condition)");
            }
        }

        if (frames < m.Window.ClipFrames)
        {
            throw new ArgumentException($"inputs are {frames / (double)m.Fps:0.00} s long; model '{m.Name}' needs at least " +
                                        $"{m.Window.ClipFrames / (double)m.Fps:0.00} s ({m.Window.ClipFrames} frames) for its first clip");
        }

        var motionDim = m.Features.UserMotion.FeatureDim;
        var motionValues = new float[frames * motionDim];
        (motion?.Values ?? encodedMotion)?.AsSpan(0, frames * motionDim).CopyTo(motionValues);
        return new RunInputs(frames, motionDim, motionValues,
            FeatureSource.Create(m, avatar, frames, encoder), FeatureSource.Create(m, user, frames, encoder), avatar);
    }

    /// <summary>User-motion features [T, dim] from the user's video, encoded a second of frames at a time.</summary>
    private static float[] EncodeVideo(string path, OnnxMotionEncoder encoder, int fps, double maxSeconds)
    {
        using var video = VideoFrameReader.Open(path, encoder.ImageSize, fps);
        var batch = new float[fps * 3 * encoder.ImageSize * encoder.ImageSize];
        var features = new List<float>();
        int read;
        while ((read = video.Read(batch, fps)) > 0)
        {
            features.AddRange(encoder.Encode(batch, read));
            if (features.Count / encoder.FeatureDim > maxSeconds * fps)
            {
                throw new ArgumentException($"'{Path.GetFileName(path)}' is longer than the limit of {maxSeconds:0.#} s");
            }
        }

        if (features.Count == 0)
        {
            throw new ArgumentException($"'{Path.GetFileName(path)}' has no video frames");
        }

        return features.ToArray();
    }

    private static IFrameRenderer? CreateRenderer(AvatarModel model, OfflineRunRequest r, List<string> notes, StreamingSampler sampler)
    {
        if (r.Render == RenderOutput.None)
        {
            return null;
        }

        var m = model.Manifest;
        if (m.Renderer.Type == RendererSpec.ParametricFace)
        {
            return new ParametricFaceRenderer(r.FrameSize);
        }

        if (r.PortraitPath is null)
        {
            notes.Add("model renders from a portrait and none was given: no video");
            return null;
        }

        var onnx = new OnnxFaceRenderer(model.Package.IdentityEncoder!, model.Package.Renderer!, m.Renderer.ImageSize,
            PortraitLoader.Load(r.PortraitPath, m.Renderer.ImageSize));
        if (model.Package.HasIdentityOutput && onnx.Identity.Length == m.Latent.Dim)
        {
            sampler.SetIdentity(onnx.Identity.Span);
        }

        return onnx;
    }

    private static FrameSink? StartExport(OfflineRunRequest r, IFrameRenderer? renderer, AudioClip? avatarAudio, int fps,
        List<string> notes, Dictionary<string, string> files)
    {
        if (renderer is null)
        {
            return null;
        }

        if (r.Render == RenderOutput.Mp4)
        {
            var path = Path.Combine(r.OutputDirectory, "avatar.mp4");
            try
            {
                var mp4 = Mp4Exporter.Start(path, renderer.Width, renderer.Height, fps, avatarAudio);
                files["video"] = path;
                return new FrameSink(mp4, null);
            }
            catch (Mp4ExportException ex)
            {
                notes.Add($"{ex.Message}: frames written as PNG instead");
            }
        }

        var folder = Path.Combine(r.OutputDirectory, "frames");
        files["frames"] = folder;
        return new FrameSink(null, new PngSequenceWriter(folder, renderer.Width, renderer.Height));
    }

    private static TelemetryHeader Header(AvatarModel model, StreamingSampler sampler)
    {
        var m = model.Manifest;
        var o = sampler.Options;
        return new TelemetryHeader
        {
            Model = m.Name,
            ModelVersion = m.Version,
            Fps = m.Fps,
            LatentDim = m.Latent.Dim,
            Channels = ChannelNames(m),
            Sampler = o.Kind.ToString(),
            Schedule = o.Schedule.ToString(),
            Nfe = sampler.Nfe,
            AvatarAudioScale = sampler.AvatarAudioScale,
            UserScale = sampler.UserScale,
            Seed = o.Seed,
            Dropped = o.Drop.ToString(),
            Device = model.Package.ExecutionProvider.Provider,
            Timesteps = sampler.TimestepList,
        };
    }

    private static OfflineRunResult Summarise(AvatarModel model, StreamingSampler sampler, int inputFrames, int frames,
        List<double> blockCompute, double wallSeconds, List<string> notes, Dictionary<string, string> files)
    {
        var m = model.Manifest;
        var o = sampler.Options;
        var sorted = blockCompute.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var media = frames / (double)m.Fps;
        var compute = blockCompute.Sum() / 1000.0;
        return new OfflineRunResult
        {
            Model = m.Name,
            ModelVersion = m.Version,
            Device = model.Package.ExecutionProvider.Provider,
            DeviceReason = model.Package.ExecutionProvider.Reason,
            Sampler = o.Kind.ToString(),
            Nfe = sampler.Nfe,
            AvatarAudioScale = sampler.AvatarAudioScale,
            UserScale = sampler.UserScale,
            Seed = o.Seed,
            Dropped = o.Drop.ToString(),
            Schedule = o.Schedule.ToString(),
            ClampToLatentRange = sampler.ClampsToLatentRange,
            ClampedValues = sampler.ClampedValues,
            InputFrames = inputFrames,
            Frames = frames,
            Blocks = sampler.BlocksGenerated,
            MediaSeconds = media,
            BlockComputeMs = [Percentile(0.5), Percentile(0.95), Percentile(0.99), sorted.LastOrDefault()],
            RealTimeFactor = compute > 0 ? media / compute : 0,
            WallSeconds = wallSeconds,
            Notes = notes,
            Files = files,
        };
    }

    private sealed record RunInputs(int Frames, int MotionDim, float[] UserMotion, FeatureSource AvatarFeatures,
        FeatureSource UserFeatures, AudioClip? AvatarAudio);

    /// <summary>Either MP4 or PNG output for rendered frames.</summary>
    private sealed class FrameSink(Mp4Exporter? mp4, PngSequenceWriter? png) : IDisposable
    {
        public void Write(ReadOnlySpan<byte> rgba)
        {
            mp4?.WriteFrame(rgba);
            png?.WriteFrame(rgba);
        }

        public Task CompleteAsync(CancellationToken ct) => mp4?.CompleteAsync(ct) ?? Task.CompletedTask;

        public void Dispose() => mp4?.Dispose();
    }
}
