namespace AvatarLab.Client.Contracts;

/// <summary>The server and worker at a glance (GET /api/status).</summary>
public sealed record StatusInfo(
    string Version,
    string WorkerState,
    string? Device,
    string? DeviceReason,
    double Progress,
    string? RunningSession,
    int Queued,
    int Models,
    int Recordings,
    int Sessions,
    DateTime ServerTime);

/// <summary>The body of every 4xx answer of the API: one line that names the problem.</summary>
public sealed record ApiError(string Error);
