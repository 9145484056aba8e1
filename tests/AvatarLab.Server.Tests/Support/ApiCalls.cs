using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace AvatarLab.Server.Tests.Support;

/// <summary>One multipart file part of an upload.</summary>
public sealed record UploadFile(string Field, string FileName, byte[] Content, string ContentType = "application/octet-stream");

/// <summary>The HTTP API as the tests call it.</summary>
public static class ApiCalls
{
    /// <summary>Statuses after which a session's job does nothing more.</summary>
    public static readonly IReadOnlySet<string> FinalStatuses = new HashSet<string> { "Succeeded", "Failed", "Cancelled" };

    /// <summary>The example conversation's avatar audio, user audio and user motion track (20 s each).</summary>
    public static UploadFile[] ExampleFiles() =>
    [
        new("avatar_audio", "avatar.wav", File.ReadAllBytes(RepoPaths.Example("avatar.wav")), "audio/wav"),
        new("user_audio", "user.wav", File.ReadAllBytes(RepoPaths.Example("user.wav")), "audio/wav"),
        new("user_motion", "user_motion.csv", File.ReadAllBytes(RepoPaths.Example("user_motion.csv")), "text/csv"),
    ];

    public static MultipartFormDataContent Multipart(IEnumerable<UploadFile> files, IReadOnlyDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var file in files)
        {
            var content = new ByteArrayContent(file.Content);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            form.Add(content, file.Field, file.FileName);
        }

        return form;
    }

    public static Task<HttpResponseMessage> PostRecordingAsync(this HttpClient client, IEnumerable<UploadFile> files, string? name = null) =>
        client.PostAsync("/api/recordings", Multipart(files, name is null ? null : new Dictionary<string, string> { ["name"] = name }));

    /// <summary>Uploads a recording that must be accepted and returns it.</summary>
    public static async Task<RecordingSummary> UploadRecordingAsync(this HttpClient client, IEnumerable<UploadFile> files, string? name = null)
    {
        using var response = await client.PostRecordingAsync(files, name);
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<RecordingSummary>())!;
    }

    /// <summary>The id of the shipped reference model (registered from models/reference at start).</summary>
    public static async Task<Guid> ReferenceModelIdAsync(this HttpClient client)
    {
        var models = await client.GetFromJsonAsync<List<ModelSummary>>("/api/models");
        return Assert.Single(models!, m => m.Name == "reference-tiny" && m.Origin == "Configured").Id;
    }

    /// <summary>POST /api/sessions that must be accepted; returns the new session's id.</summary>
    public static async Task<Guid> CreateSessionAsync(this HttpClient client, RunRequest request)
    {
        using var response = await client.PostAsJsonAsync("/api/sessions", request);
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<CreatedSession>();
        return created!.Id;
    }

    public static async Task<SessionSummary> GetSessionAsync(this HttpClient client, Guid id, CancellationToken ct = default) =>
        (await client.GetFromJsonAsync<SessionSummary>($"/api/sessions/{id}", ct))!;

    /// <summary>
    /// Waits until the session satisfies <paramref name="done"/>: re-reads it whenever the worker
    /// signals a change (WorkerState), and at least every half second for changes it does not signal.
    /// </summary>
    public static async Task<SessionSummary> WaitForSessionAsync(this AvatarLabHost host, HttpClient client, Guid id,
        Func<SessionSummary, bool> done, TimeSpan timeout)
    {
        var signal = new ChangeSignal();
        using var subscription = host.Services.GetRequiredService<WorkerState>().Subscribe(signal.Pulse);
        using var cts = new CancellationTokenSource(timeout);
        SessionSummary? last = null;
        try
        {
            while (true)
            {
                var next = signal.NextAsync();
                last = await client.GetSessionAsync(id, cts.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token));
                cts.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"session {id} did not get there in {timeout.TotalSeconds:0} s: it is {last?.Status} " +
                $"(job {last?.Job?.Status}, stage '{last?.Job?.Stage}', {last?.Job?.Progress:P0}, error '{last?.Error}')");
        }
    }

    /// <summary>Waits until the session is Succeeded, Failed or Cancelled.</summary>
    public static Task<SessionSummary> WaitForFinishAsync(this AvatarLabHost host, HttpClient client, Guid id, TimeSpan? timeout = null) =>
        host.WaitForSessionAsync(client, id, s => FinalStatuses.Contains(s.Status), timeout ?? TimeSpan.FromMinutes(3));

    /// <summary>Queues a run and waits for it; fails the test unless it succeeded. Returns the session id.</summary>
    public static async Task<Guid> RunToSuccessAsync(this AvatarLabHost host, HttpClient client, RunRequest request)
    {
        var id = await client.CreateSessionAsync(request);
        var done = await host.WaitForFinishAsync(client, id);
        Xunit.Assert.True(done.Status == "Succeeded", $"session {id} ended {done.Status}: {done.Error}");
        return id;
    }

    /// <summary>The {"error": "..."} body of a refused call.</summary>
    public static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ApiError>(body, System.Text.Json.JsonSerializerOptions.Web)?.Error
                ?? throw new InvalidOperationException("no error field");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new Xunit.Sdk.XunitException($"HTTP {(int)response.StatusCode} without an {{\"error\"}} body: {body}");
        }
    }

    public static async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }

    private sealed record CreatedSession(Guid Id, string Name, string Status);

    /// <summary>A task that completes at the next pulse; each NextAsync waits for a pulse after it was called.</summary>
    private sealed class ChangeSignal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextAsync() => Volatile.Read(ref _next).Task;

        public void Pulse() =>
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
