using System.Globalization;
using Bridge.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Emulator;

/// <summary>
/// The command-line emulator: configuration, then the command line, then one Kestrel endpoint and the health
/// endpoints. An entry point of its own rather than a top-level Program, so that no second <c>Program</c> type
/// becomes visible to the tests (which see this assembly's internals).
/// </summary>
internal static class EmulatorProgram
{
    public static Task<int> Main(string[] args) => RunAsync(args);

    public static async Task<int> RunAsync(string[] args)
    {
        // Its appsettings.json (health probes and other requests logged at Warning only) is found wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        var options = new EmulatorOptions { Port = EmulatorDefaults.Port };
        var section = builder.Configuration.GetSection(EmulatorOptions.SectionName);
        if (section.GetSection(nameof(EmulatorOptions.ToolTriggers)).GetChildren().Any())
        {
            options.ToolTriggers = []; // configured triggers replace the defaults (the binder would append to them)
        }

        var unconvertible = ConvertibleBinding.Bind(section, options);

        var error = CommandLine.Apply(args, options, out var help);
        if (help)
        {
            Console.WriteLine(CommandLine.HelpText());
            return 0;
        }

        if (error is not null)
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        // Every bad setting is named, one line each, as the bridge's services do: the emulator's own, then the defaults'.
        var failures = unconvertible.Select(setting => setting.Message).ToList();
        try
        {
            builder.Services.AddEmulator(options);
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }

        builder.AddServiceDefaults();
        if (failures.Count == 0)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForEmulator(options));
        }

        var app = builder.Build();
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (ConfigurationErrors.Explain(e) is { Count: > 0 } defaults)
        {
            failures.AddRange(defaults);
        }

        if (failures.Count > 0)
        {
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return ConfigurationErrors.ExitCode;
        }

        app.MapDefaultEndpoints();
        app.MapEmulator();
        await app.StartAsync();

        var transport = options.TlsCertificatePath is null ? "HTTP/2 cleartext, prior knowledge" : "HTTP/2 over TLS";
        var healthSuffix = options.HealthPort is { } healthPort ? ":" + healthPort.ToString(CultureInfo.InvariantCulture) : null;
        var modelUrl = app.Urls.FirstOrDefault(u => healthSuffix is null || !u.EndsWith(healthSuffix, StringComparison.Ordinal));
        Console.WriteLine($"Nova Sonic emulator listening on {modelUrl} ({transport}), mode {options.Mode}.");
        if (healthSuffix is not null)
        {
            Console.WriteLine($"Health checks (HTTP/1.1) on {app.Urls.First(u => u.EndsWith(healthSuffix, StringComparison.Ordinal))}/health/readiness");
        }

        Console.WriteLine($"Accepted credentials: AWS_ACCESS_KEY_ID={options.AccessKeyId} AWS_SECRET_ACCESS_KEY={options.SecretAccessKey} AWS_REGION={options.Region}");
        Console.WriteLine($"Point a client at it: AWS_ENDPOINT_URL_BEDROCK_RUNTIME={modelUrl}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
