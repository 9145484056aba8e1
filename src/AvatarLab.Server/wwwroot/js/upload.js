// Multipart upload with progress, for the recordings and models pages. The browser streams the
// files; the server streams them to disk (POST /api/recordings, POST /api/models).

/**
 * @param {string} url API endpoint.
 * @param {{field: string, input: HTMLInputElement}[]} files file inputs, by multipart field name.
 * @param {Record<string, string>} fields text fields.
 * @param {{field: string, name: string, text: string, type: string}[]} extra generated files (e.g. a tracked motion CSV).
 * @param {string} token antiforgery request token (header X-XSRF-TOKEN).
 * @param {any} dotnet DotNetObjectReference with OnUploadProgress(loaded, total).
 * @returns {Promise<{status: number, body: string}>}
 */
export function upload(url, files, fields, extra, token, dotnet) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v !== null && v !== undefined && v !== '') form.append(k, v);
  }
  for (const f of files ?? []) {
    if (f.input && f.input.files && f.input.files.length > 0) form.append(f.field, f.input.files[0]);
  }
  for (const e of extra ?? []) {
    form.append(e.field, new Blob([e.text], { type: e.type }), e.name);
  }
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-XSRF-TOKEN', token);
    let last = 0;
    xhr.upload.onprogress = (ev) => {
      const now = performance.now();
      if (ev.lengthComputable && (now - last > 100 || ev.loaded === ev.total)) {
        last = now;
        dotnet.invokeMethodAsync('OnUploadProgress', ev.loaded, ev.total);
      }
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, body: JSON.stringify({ error: 'the upload was interrupted (network error)' }) });
    xhr.send(form);
  });
}

/** The selected file's name and size, or null. */
export function describe(input) {
  if (!input || !input.files || input.files.length === 0) return null;
  const f = input.files[0];
  return { name: f.name, size: f.size, type: f.type };
}

/** Clears a file input after a successful upload. */
export function clear(input) {
  if (input) input.value = '';
}
