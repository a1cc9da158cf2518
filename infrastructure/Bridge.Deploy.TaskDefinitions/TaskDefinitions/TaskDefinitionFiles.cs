using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.Environments;
using Bridge.Deploy.TaskDefinitions.Manifest;

namespace Bridge.Deploy.TaskDefinitions.TaskDefinitions;

/// <summary>
/// Where the files live in the repository and what they must contain: the manifest at the root, one
/// <c>infrastructure/environments/&lt;env&gt;/deployment.json</c> per environment, and the generated
/// <c>infrastructure/task-definitions/&lt;env&gt;/&lt;service&gt;.json</c>.
/// </summary>
public static class TaskDefinitionFiles
{
    public const string ManifestFile = "aspire-manifest.json";
    public const string EnvironmentsDirectory = "infrastructure/environments";
    public const string EnvironmentFile = "deployment.json";
    public const string OutputDirectory = "infrastructure/task-definitions";
    public const string RegenerateCommand = "dotnet run --project infrastructure/Bridge.Deploy.TaskDefinitions";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Readable placeholders and YAML; the files are read by OpenTofu, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(JsonObject definition) => definition.ToJsonString(WriteOptions) + "\n";

    /// <summary>Every file the translator makes, by path relative to the repository root (with '/').</summary>
    public static SortedDictionary<string, string> Render(string repositoryRoot)
    {
        var manifest = AspireManifest.Load(Path.Combine(repositoryRoot, ManifestFile));
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var environmentFile in EnvironmentFiles(repositoryRoot))
        {
            var environment = DeploymentEnvironment.Load(environmentFile);
            foreach (var generated in TaskDefinitionTranslator.Translate(manifest, environment))
            {
                files.Add($"{OutputDirectory}/{environment.Name}/{generated.Service}.json", Serialize(generated.Definition));
            }
        }
        return files;
    }

    /// <summary>The task definition files now on disk, by relative path.</summary>
    public static SortedDictionary<string, string> ReadCommitted(string repositoryRoot)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var directory = Path.Combine(repositoryRoot, OutputDirectory);
        if (!Directory.Exists(directory))
        {
            return files;
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories))
        {
            files.Add(Path.GetRelativePath(repositoryRoot, path).Replace('\\', '/'), File.ReadAllText(path));
        }
        return files;
    }

    /// <summary>Paths whose content differs, is missing, or should not be there.</summary>
    public static IReadOnlyList<string> Differences(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual) =>
        expected.Keys.Union(actual.Keys)
            .Where(path => !expected.TryGetValue(path, out var want) || !actual.TryGetValue(path, out var have) || want != have)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Writes every file and removes generated files no longer made (a service or environment that went away).</summary>
    public static IReadOnlyList<string> Write(string repositoryRoot)
    {
        var expected = Render(repositoryRoot);
        var changed = Differences(expected, ReadCommitted(repositoryRoot));
        foreach (var path in changed)
        {
            var fullPath = Path.Combine(repositoryRoot, path);
            if (expected.TryGetValue(path, out var content))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
                File.WriteAllText(fullPath, content);
            }
            else
            {
                File.Delete(fullPath);
            }
        }
        return changed;
    }

    public static IEnumerable<string> EnvironmentFiles(string repositoryRoot) =>
        Directory.EnumerateDirectories(Path.Combine(repositoryRoot, EnvironmentsDirectory))
            .Select(directory => Path.Combine(directory, EnvironmentFile))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);

    /// <summary>The nearest directory upwards that holds the manifest.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ManifestFile)) &&
                Directory.Exists(Path.Combine(directory.FullName, EnvironmentsDirectory)))
            {
                return directory.FullName;
            }
        }
        throw new TranslationException($"No {ManifestFile} with an {EnvironmentsDirectory} directory above {start}; pass --root.");
    }
}
