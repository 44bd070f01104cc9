using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace ArcBridgeDashboard.Web.Components.Pages.Allowlist;

/// <summary>Paste or upload → preview (diff or located errors) → accept or cancel. Nothing is stored before Accept.</summary>
public partial class ImportPanel
{
    /// <summary>
    /// An allowlist is a page of markdown (14 KB today); 256 K characters is far more than any version and still
    /// fits the live connection's message limit (Program.cs) however the text is escaped. The text field holds no
    /// more (maxlength), so a longer paste arrives cut at exactly this length and is refused in words.
    /// </summary>
    public const int MaxMarkdownChars = 256 * 1024;

    /// <summary>A file's bytes: UTF-8 takes up to 4 bytes a character; the text is then measured like a paste.</summary>
    private const long MaxUploadBytes = 4L * MaxMarkdownChars;

    private string? _markdown;
    private ImportPreviewModel? _preview;
    private string? _uploadError;
    private string? _tooLarge;
    private bool _busy;

    [Parameter, EditorRequired] public Func<string, Task<ImportPreviewModel>> Preview { get; set; } = default!;

    /// <summary>Called with the same markdown the preview was made from.</summary>
    [Parameter, EditorRequired] public EventCallback<ImportAcceptance> OnAccept { get; set; }

    private bool _confirmOlder;

    private async Task OnFileChosenAsync(IBrowserFile? file)
    {
        _uploadError = null;
        if (file is null)
        {
            return;
        }
        if (file.Size > MaxUploadBytes)
        {
            _uploadError = TooLargeText($"{file.Name} is {Size(file.Size)}");
            return;
        }
        try
        {
            await using var stream = file.OpenReadStream(MaxUploadBytes);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync();
            if (text.Length >= MaxMarkdownChars)
            {
                _uploadError = TooLargeText($"{file.Name} holds {text.Length:N0} characters");
                return;
            }
            _markdown = text;
            OnMarkdownChanged();
        }
        catch (IOException ex)
        {
            _uploadError = $"Could not read {file.Name}: {ex.Message}";
        }
    }

    // The field's maxlength cuts a longer paste at exactly the limit: a text that long was cut, so it is refused.
    private void OnMarkdownChanged() => _tooLarge = _markdown is { Length: >= MaxMarkdownChars }
        ? TooLargeText($"The pasted text was cut at {MaxMarkdownChars:N0} characters")
        : null;

    private static string TooLargeText(string what) =>
        $"{what}: too large for an allowlist. The import takes at most {Size(MaxMarkdownChars)}, and a published allowlist is "
        + "about 14 KB, so this is probably another document or several copied at once. Nothing was changed.";

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0} KB";

    private async Task PreviewAsync()
    {
        if (string.IsNullOrWhiteSpace(_markdown) || _tooLarge is not null)
        {
            return;
        }
        _busy = true;
        try
        {
            _preview = await Preview(_markdown);
            _confirmOlder = false;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task AcceptAsync()
    {
        if (_preview is not { CanAccept: true } || _markdown is null || (_preview.IsOlder && !_confirmOlder))
        {
            return;
        }
        _busy = true;
        try
        {
            await OnAccept.InvokeAsync(new ImportAcceptance(_markdown, _confirmOlder));
            _preview = null;
            _markdown = null;
            _tooLarge = null;
            _confirmOlder = false;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel()
    {
        _preview = null;
        _confirmOlder = false;
    }
}
