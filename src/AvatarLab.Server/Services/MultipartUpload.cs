using AvatarLab.Server.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AvatarLab.Server.Services;

/// <summary>One file part of a multipart upload, already on disk in the data root's temporary folder.</summary>
public sealed record UploadedPart(string Field, string FileName, string ContentType, string TempPath, long Bytes);

/// <summary>
/// Reads a multipart/form-data request section by section, streaming each file straight to a
/// temporary file (never buffering it in memory) and stopping at the first byte over the limit.
/// Form fields are read as short strings. On any failure every temporary file is removed.
/// </summary>
public sealed class MultipartUpload : IAsyncDisposable
{
    private const int MaxFieldChars = 4096;
    private readonly List<UploadedPart> _files = [];
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<UploadedPart> Files => _files;
    public IReadOnlyDictionary<string, string> Fields => _fields;

    /// <summary>
    /// Raises Kestrel's request body limit (30 MB by default) to what the upload may be; the
    /// per-file limit is then enforced while streaming, with a message that names the file.
    /// </summary>
    public static void AllowBody(HttpContext context, long maxBytes)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes + (1 << 20);
        }
    }

    public static async Task<MultipartUpload> ReadAsync(HttpRequest request, BlobStore store, long maxFileBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadException("expected a multipart/form-data request", StatusCodes.Status415UnsupportedMediaType);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new UploadException("the multipart request has no boundary");
        }

        var upload = new MultipartUpload();
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data"))
                {
                    throw new UploadException("a multipart section has no form-data content disposition");
                }

                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue
                        ? disposition.FileNameStar : disposition.FileName).Value ?? "upload");
                    var temp = store.NewTempPath(Path.GetExtension(fileName));
                    var part = new UploadedPart(field, fileName, section.ContentType ?? "application/octet-stream", temp, 0);
                    upload._files.Add(part);
                    var bytes = await CopyLimitedAsync(section.Body, temp, maxFileBytes, field, fileName, ct);
                    upload._files[^1] = part with { Bytes = bytes };
                }
                else
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[MaxFieldChars + 1];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    if (read > MaxFieldChars)
                    {
                        throw new UploadException($"form field '{field}' is longer than {MaxFieldChars} characters");
                    }

                    upload._fields[field] = new string(buffer, 0, read);
                }
            }

            return upload;
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> CopyLimitedAsync(Stream source, string path, long limit, string field, string fileName, CancellationToken ct)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new UploadException(
                    $"{field}: '{fileName}' is larger than the {FormatBytes(limit)} limit (Uploads:MaxFileBytes)",
                    StatusCodes.Status413PayloadTooLarge);
            }

            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        return total;
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };

    /// <summary>Removes the temporary files that were not adopted into the store.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var file in _files)
        {
            BlobStore.DeleteQuietly(file.TempPath);
        }

        return ValueTask.CompletedTask;
    }
}
