namespace AvatarLab.Cli;

internal static class Usage
{
    public const string Text = """
        avatarlab: offline Avatar Forcing runs and benchmarks

        avatarlab run --model <package folder or .zip> --out <folder> [inputs] [options]
          inputs (any may be missing: a missing stream is a dropped, all-zero condition)
            --avatar-audio <file>   what the avatar says (WAV; MP3/OGG/M4A/FLAC/MP4/WebM with ffmpeg)
            --user-audio <file>     what the user says
            --user-motion <file>    the user's face-params/1 track (CSV or JSON, docs/motion-tracks.md)
            --user-video <file>     the user's video, for models with motion_encoder.onnx (centre-cropped square)
            --portrait <image>      portrait for models with an ONNX renderer
          sampler
            --sampler avatar-forcing|recomputed|windowed   (default avatar-forcing: the cached stream)
            --nfe <n>               function evaluations (default: the manifest's, 10)
            --avatar-scale <a>      guidance scale of the avatar's audio (default: manifest, 2.0)
            --user-scale <u>        guidance scale of the user's audio + motion (default: manifest, 1.0)
            --seed <n>              noise seed (default 0); same seed and inputs give the same frames
            --drop <list>           conditions fed as zeros: user, user-audio, user-motion, avatar-audio (comma-separated)
            --schedule blockwise|staggered   per-frame noise schedule (default blockwise, the paper's)
            --stagger <s>           spread of the staggered schedule (default 0.5)
            --attention off|final|every      attention telemetry (default final)
            --window <n> --context <n>       windowed baseline sizes (default 75 and 10)
            --clamp on|off          clamp each step's x0 to the face-params ranges (default: the manifest's
                                    diffusion.clampToLatentRange; face-params/1 models only)
          output
            --render mp4|png|none   rendered video (default mp4; png frames when ffmpeg is missing)
            --size <px>             frame size (default 256)
            --max-seconds <s>       longest input accepted (default 3600)
          runtime
            --device auto|cpu|cuda  execution provider (default auto: CUDA when usable, else CPU)
            --threads <n>           ONNX Runtime intra-op threads (default 1: fastest for small models here)
          writes <out>/motion.csv, telemetry.altel (docs/telemetry.md), run.json and avatar.mp4 or frames/

        avatarlab info --model <package>
          validates a package and prints its manifest, sizes and execution provider

        avatarlab bench [--model <package>] [--json <file>] [--quick] [--threads <n>]
          the engine benchmarks of bench/ (bench/README.md)
        """;
}
