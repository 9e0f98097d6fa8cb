using Microsoft.AspNetCore.Components.Web;

namespace CityPairs.Web.Components;

/// <summary>
/// Enter in a single-line field saves the form, as on any web form; Enter in a multi-line field is a new
/// line. MudForm's OnEnterPressed fires for both, so multi-line fields report their Enter first
/// (their keydown reaches .NET before the form's) and the form's handler lets that one pass.
/// </summary>
public sealed class EnterToSave
{
    private bool _fromMultiLine;

    /// <summary>Wire to OnKeyDown of every multi-line MudTextField.</summary>
    public void MultiLineKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            _fromMultiLine = true;
        }
    }

    /// <summary>Wire to MudForm's OnEnterPressed.</summary>
    public async Task EnterPressedAsync(Func<Task> save)
    {
        if (_fromMultiLine)
        {
            _fromMultiLine = false;
            return;
        }

        await save();
    }
}
