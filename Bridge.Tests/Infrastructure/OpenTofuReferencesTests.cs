using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// What <c>tofu validate</c> would catch without needing provider plugins (there is no registry here): every
/// <c>var.</c>, <c>local.</c> and <c>module.x.y</c> a configuration uses exists, and every module call passes
/// exactly the variables the module declares, with all the required ones.
/// </summary>
public partial class OpenTofuReferencesTests
{
    private static readonly string[] ModuleMetaArguments = ["source", "version", "count", "for_each", "depends_on", "providers"];

    private sealed record Configuration(string Directory, List<JsonObject> Bodies)
    {
        public IEnumerable<(string Name, JsonObject Block)> Blocks(string type) =>
            Bodies.Where(b => b[type] is JsonObject).SelectMany(b => b[type]!.AsObject())
                .Select(entry => (entry.Key, entry.Value!.AsArray()[0]!.AsObject()));

        public HashSet<string> Variables => Blocks("variable").Select(b => b.Name).ToHashSet();

        public HashSet<string> Outputs => Blocks("output").Select(b => b.Name).ToHashSet();

        public HashSet<string> Locals =>
            Bodies.Where(b => b["locals"] is JsonArray).SelectMany(b => b["locals"]!.AsArray())
                .SelectMany(block => block!.AsObject().Select(entry => entry.Key)).ToHashSet();

        public IEnumerable<string> Expressions => Bodies.SelectMany(Strings);
    }

    private static readonly Lazy<Dictionary<string, Configuration>> Configurations = new(() =>
    {
        return HclCheck.Infrastructure.Value.Files
            .Where(f => f.File.EndsWith(".tf", StringComparison.Ordinal))
            .GroupBy(f => Path.GetDirectoryName(f.File)!.Replace('\\', '/'))
            .ToDictionary(g => g.Key, g => new Configuration(g.Key, g.Select(f => f.Body!).ToList()));
    });

    public static TheoryData<string> ConfigurationDirectories() => new(
        Directory.EnumerateFiles(Path.Combine(HclCheck.Root, "infrastructure"), "*.tf", SearchOption.AllDirectories)
            .Where(path => !path.Contains("node_modules", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(HclCheck.Root, Path.GetDirectoryName(path)!).Replace('\\', '/'))
            .Distinct()
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ConfigurationDirectories))]
    public void Every_variable_and_local_used_is_declared(string directory)
    {
        var configuration = Configurations.Value[directory];

        var undeclared = configuration.Expressions
            .SelectMany(expression => VariableReference().Matches(expression).Select(m => (Kind: m.Groups[1].Value, Name: m.Groups[2].Value)))
            .Where(reference => reference.Kind == "var" ? !configuration.Variables.Contains(reference.Name) : !configuration.Locals.Contains(reference.Name))
            .Select(reference => $"{reference.Kind}.{reference.Name}")
            .Distinct()
            .ToList();

        Assert.True(undeclared.Count == 0, $"{directory} uses undeclared {string.Join(", ", undeclared)}");
    }

    [Theory]
    [MemberData(nameof(ConfigurationDirectories))]
    public void Every_module_call_matches_the_module_it_calls(string directory)
    {
        var configuration = Configurations.Value[directory];
        var problems = new List<string>();

        var calls = configuration.Blocks("module").ToDictionary(b => b.Name, b => b.Block);
        foreach (var (name, call) in calls)
        {
            var source = Path.GetFullPath(Path.Combine(HclCheck.Root, directory, call["source"]!.GetValue<string>()));
            var target = Configurations.Value[Path.GetRelativePath(HclCheck.Root, source).Replace('\\', '/')];
            var passed = call.Select(entry => entry.Key).Except(ModuleMetaArguments).ToHashSet();

            problems.AddRange(passed.Except(target.Variables).Select(argument => $"module.{name} passes '{argument}', which {target.Directory} does not declare"));
            var required = target.Blocks("variable").Where(v => v.Block["default"] is null && !v.Block.ContainsKey("default")).Select(v => v.Name);
            problems.AddRange(required.Except(passed).Select(variable => $"module.{name} does not pass the required '{variable}'"));
        }

        foreach (Match reference in configuration.Expressions.SelectMany(e => ModuleOutputReference().Matches(e)))
        {
            var (module, output) = (reference.Groups[1].Value, reference.Groups[2].Value);
            if (!calls.TryGetValue(module, out var call))
            {
                problems.Add($"module.{module} is used but not declared");
                continue;
            }
            var source = Path.GetFullPath(Path.Combine(HclCheck.Root, directory, call["source"]!.GetValue<string>()));
            if (!Configurations.Value[Path.GetRelativePath(HclCheck.Root, source).Replace('\\', '/')].Outputs.Contains(output))
            {
                problems.Add($"module.{module}.{output}: the module has no such output");
            }
        }

        Assert.True(problems.Count == 0, $"{directory}: {string.Join("; ", problems.Distinct())}");
    }

    [Fact]
    public void The_reference_check_notices_an_undeclared_variable()
    {
        var expressions = new[] { "${var.declared}", "${merge(var.undeclared, local.x)}" };

        var found = expressions.SelectMany(e => VariableReference().Matches(e)).Select(m => m.Value).ToList();

        Assert.Equal(["var.declared", "var.undeclared", "local.x"], found);
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(entry => Strings(entry.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal) => [text],
        _ => [],
    };

    [GeneratedRegex(@"\b(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ModuleOutputReference();
}
