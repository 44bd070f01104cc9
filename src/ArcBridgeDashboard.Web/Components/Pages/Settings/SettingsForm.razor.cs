using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ArcBridgeDashboard.Web.Components.Pages.Settings;

/// <summary>
/// Edits a copy of the settings; the page's validator runs before anything is handed to <see cref="OnSave"/>,
/// so an invalid value shows its message under its field and changes nothing.
/// </summary>
public partial class SettingsForm
{
    private MudForm? _form;
    private SettingsFormModel _model = new();
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private bool _attempted;
    private bool _saving;
    private SettingsFormModel? _seen;

    [Parameter, EditorRequired] public SettingsFormModel Value { get; set; } = new();

    /// <summary>Field name (see <see cref="SettingsFields"/>) to message; empty when the model is valid.</summary>
    [Parameter, EditorRequired] public Func<SettingsFormModel, IReadOnlyDictionary<string, string>> Validate { get; set; } = _ => new Dictionary<string, string>();

    [Parameter] public EventCallback<SettingsFormModel> OnSave { get; set; }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_seen, Value))
        {
            _seen = Value;
            _model = Value.Clone();
            _errors = new Dictionary<string, string>();
            _attempted = false;
        }
    }

    private bool Has(string field) => _errors.ContainsKey(field);
    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    /// <summary>After a failed save, messages follow the edits so the operator sees each fix land.</summary>
    private void Revalidate()
    {
        if (_attempted)
        {
            _errors = Validate(_model);
        }
    }

    private async Task SaveAsync()
    {
        _attempted = true;
        _errors = Validate(_model);
        if (_errors.Count > 0)
        {
            return;
        }
        _saving = true;
        try
        {
            await OnSave.InvokeAsync(_model.Clone());
        }
        finally
        {
            _saving = false;
        }
    }

    private void Reset()
    {
        _model = Value.Clone();
        _errors = new Dictionary<string, string>();
        _attempted = false;
    }
}
