namespace Bridge.Tests.Support;

public static class DictionaryExtensions
{
    /// <summary>A copy with one entry set: for tampering with a signed set of values.</summary>
    public static Dictionary<string, string> With(this IReadOnlyDictionary<string, string> source, string key, string value) =>
        new(source) { [key] = value };
}
