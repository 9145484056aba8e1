using AvatarLab.Inference.Onnx;

namespace AvatarLab.Server.Workers;

/// <summary>What the inference worker is doing now, for the overview and the status API.</summary>
public sealed record WorkerSnapshot(
    string State,
    Guid? JobId,
    Guid? SessionId,
    string? SessionName,
    double Progress,
    string Stage,
    ExecutionProviderInfo? Device,
    DateTime Since);

/// <summary>
/// The worker's live state and a change signal for server components: subscribers get a
/// callback (throttled by the worker to a few per second) and unsubscribe by disposing.
/// </summary>
public sealed class WorkerState
{
    private readonly Lock _gate = new();
    private readonly List<Action> _subscribers = [];
    private WorkerSnapshot _current = new("starting", null, null, null, 0, "", null, DateTime.UtcNow);

    public WorkerSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Set(WorkerSnapshot snapshot)
    {
        Action[] subscribers;
        lock (_gate)
        {
            _current = snapshot;
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber();
        }
    }

    /// <summary>Signals a change that is not in the snapshot (a job queued, a session finished).</summary>
    public void Touch() => Set(Current);

    public IDisposable Subscribe(Action onChange)
    {
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }

        return new Subscription(this, onChange);
    }

    private sealed class Subscription(WorkerState owner, Action callback) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(callback);
            }
        }
    }
}
