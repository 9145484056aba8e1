namespace AvatarLab.Server.Components.Shared;

/// <summary>
/// Runs the latest requested action at most once per interval (trailing edge): a worker that
/// reports progress many times a second costs a page one refresh per interval.
/// </summary>
public sealed class Throttle(TimeSpan interval) : IDisposable
{
    private readonly Lock _gate = new();
    private Func<Task>? _pending;
    private Timer? _timer;
    private DateTime _last = DateTime.MinValue;
    private bool _disposed;

    public void Run(Func<Task> action)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending = action;
            if (_timer is not null)
            {
                return;
            }

            var wait = _last + interval - DateTime.UtcNow;
            _timer = new Timer(_ => Fire(), null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        Func<Task>? action;
        lock (_gate)
        {
            action = _pending;
            _pending = null;
            _timer?.Dispose();
            _timer = null;
            _last = DateTime.UtcNow;
        }

        if (action is not null)
        {
            _ = action();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
