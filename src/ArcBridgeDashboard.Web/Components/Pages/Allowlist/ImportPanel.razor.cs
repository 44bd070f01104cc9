using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace ArcBridgeDashboard.Web.Components.Pages.Allowlist;

/// <summary>Paste or upload → preview (diff or located errors) → accept or cancel. Nothing is stored before Accept.</summary>
public partial class ImportPanel
{
    /// <summary>An allowlist is a page of markdown; anything far larger is not one.</summary>
    private const long MaxUploadBytes = 1024 * 1024;

    private string? _markdown;
    private ImportPreviewModel? _preview;
    private string? _uploadError;
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
        try
        {
            await using var stream = file.OpenReadStream(MaxUploadBytes);
            using var reader = new StreamReader(stream);
            _markdown = await reader.ReadToEndAsync();
        }
        catch (IOException ex)
        {
            _uploadError = $"Could not read {file.Name}: {ex.Message}";
        }
    }

    private async Task PreviewAsync()
    {
        if (string.IsNullOrWhiteSpace(_markdown))
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
