namespace Bridge.MediaWorker.Calls;

public static class SpokenText
{
    /// <summary>
    /// The part of <paramref name="text"/> a listener heard when <paramref name="heardFraction"/> of its audio
    /// played: cut at the last word boundary, marked with an ellipsis when cut.
    /// </summary>
    public static string HeardPart(string text, double heardFraction)
    {
        if (heardFraction >= 1)
        {
            return text;
        }
        if (heardFraction <= 0)
        {
            return "";
        }
        var cut = (int)Math.Round(text.Length * heardFraction);
        var boundary = text.LastIndexOf(' ', Math.Clamp(cut, 0, text.Length - 1));
        return boundary <= 0 ? "" : text[..boundary].TrimEnd(',', ';', ':') + "…";
    }
}
