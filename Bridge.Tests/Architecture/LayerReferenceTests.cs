using System.Diagnostics;
using Bridge.Tests.Support;

namespace Bridge.Tests.Architecture;

/// <summary>
/// The worker's layers (design/ARCHITECTURE.md) are projects, and Directory.Build.targets fails the build of a layer
/// whose project reference runs the wrong way. These run that check on the real project files, with and without a
/// reference added through MSBuild's standard CustomAfterMicrosoftCommonTargets hook.
/// </summary>
public sealed class LayerReferenceTests
{
    [Fact]
    public async Task Every_layer_as_committed_passes_the_check()
    {
        foreach (var layer in new[] { "Bridge.Audio", "Bridge.Buffers", "Bridge.Bedrock", "Bridge.NovaSonic", "Bridge.TwilioMedia" })
        {
            var (exitCode, output) = await CheckAsync(layer, addedReference: null);
            Assert.True(exitCode == 0, $"{layer}: {output}");
        }
    }

    [Theory]
    [InlineData("Bridge.TwilioMedia", "Bridge.NovaSonic")]
    [InlineData("Bridge.Bedrock", "Bridge.NovaSonic")]
    [InlineData("Bridge.Audio", "Bridge.Buffers")]
    public async Task A_reference_that_runs_the_wrong_way_fails_the_layers_build(string layer, string wrongWay)
    {
        var (exitCode, output) = await CheckAsync(layer, wrongWay);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{layer} is a layer that may reference only the layers below it", output);
        Assert.Contains($"its reference to {wrongWay} runs the wrong way", output);
    }

    private static async Task<(int ExitCode, string Output)> CheckAsync(string layer, string? addedReference)
    {
        var directory = Directory.CreateTempSubdirectory("layer-check-");
        try
        {
            var arguments = new List<string>
            {
                "msbuild", Path.Combine(RepositoryRoot.Path, layer, layer + ".csproj"),
                "-t:CheckLayerReferences", "-nologo", "-noAutoResponse", "-verbosity:minimal",
            };
            if (addedReference is not null)
            {
                var hook = Path.Combine(directory.FullName, "wrong-way.targets");
                var referenced = Path.Combine(RepositoryRoot.Path, addedReference, addedReference + ".csproj");
                await File.WriteAllTextAsync(hook, $"""
                    <Project>
                      <ItemGroup>
                        <ProjectReference Include="{referenced}" />
                      </ItemGroup>
                    </Project>
                    """);
                arguments.Add($"-p:CustomAfterMicrosoftCommonTargets={hook}");
            }

            var start = new ProcessStartInfo("dotnet", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryRoot.Path,
            };
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await standardOutput + await standardError);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
