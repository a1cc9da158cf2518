using System.Diagnostics;
using System.Text.Json.Nodes;
using Bridge.Deploy.TaskDefinitions.TaskDefinitions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Runs infrastructure/tools/hcl-check (HashiCorp's HCL parser, the one OpenTofu uses, from npm) over files and
/// returns what it made of each. Needs Node 18+ and <c>npm ci --prefix infrastructure/tools/hcl-check</c>.
/// </summary>
internal static class HclCheck
{
    public static readonly string Root = TaskDefinitionFiles.FindRepositoryRoot(AppContext.BaseDirectory);
    private static readonly string ToolDirectory = Path.Combine(Root, "infrastructure", "tools", "hcl-check");

    public sealed record FileResult(string File, bool Ok, string? Error, JsonObject? Body);

    public sealed record Run(int ExitCode, IReadOnlyList<FileResult> Files, string StandardError);

    /// <summary>The repository's infrastructure/ directory, parsed once for all tests (a node start costs seconds).</summary>
    public static readonly Lazy<Run> Infrastructure = new(() => Parse(Path.Combine(Root, "infrastructure")));

    public static Run Parse(params string[] paths)
    {
        if (!Directory.Exists(Path.Combine(ToolDirectory, "node_modules", "@cdktf", "hcl2json")))
        {
            Assert.Fail("The HCL parser is not installed: run `npm ci --prefix infrastructure/tools/hcl-check` (needs Node 18+).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ToolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("check-hcl.mjs");
        foreach (var path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The HCL check took more than 60 s.");
        }

        // One line per file, then {"files": n}: without that last line, or with another count, the output was cut short.
        var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var count = lines.Count > 0 ? lines[^1]["files"]?.GetValue<int>() : null;
        var files = lines.Where(line => line.ContainsKey("file"))
            .Select(result => new FileResult(
                Path.GetRelativePath(Root, result["file"]!.GetValue<string>()).Replace('\\', '/'),
                result["ok"]!.GetValue<bool>(),
                result["error"]?.GetValue<string>(),
                result["body"] as JsonObject))
            .ToList();
        if (count != files.Count)
        {
            Assert.Fail($"The HCL check's output is incomplete: {files.Count} files read, the tool counted {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} (exit {process.ExitCode}). {error.Result}");
        }
        return new Run(process.ExitCode, files, error.Result);
    }
}
