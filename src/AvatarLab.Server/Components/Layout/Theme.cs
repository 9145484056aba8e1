using MudBlazor;

namespace AvatarLab.Server.Components.Layout;

/// <summary>The dashboard's light and dark palettes.</summary>
public static class Theme
{
    public static readonly Lazy<MudTheme> Value = new(() => new MudTheme
    {
        PaletteLight = new PaletteLight { Primary = "#3949ab", Secondary = "#00897b", AppbarBackground = "#283593" },
        PaletteDark = new PaletteDark { Primary = "#8c9eff", Secondary = "#4db6ac" },
    });
}
