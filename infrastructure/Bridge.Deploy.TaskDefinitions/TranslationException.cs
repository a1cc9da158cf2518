namespace Bridge.Deploy.TaskDefinitions;

/// <summary>
/// The manifest or the environment file asks for something the translator cannot turn into a valid task
/// definition. The message names the resource (or file) and the field, so the fix is obvious.
/// </summary>
public sealed class TranslationException(string message) : Exception(message)
{
    public static TranslationException ForResource(string resource, string field, string problem) =>
        new($"Resource '{resource}', field '{field}': {problem}");

    public static TranslationException ForEnvironment(string environmentFile, string field, string problem) =>
        new($"{environmentFile}, field '{field}': {problem}");
}
