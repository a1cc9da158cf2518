using Bridge.Emulator.Faults;
using Bridge.Emulator.Nova;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bridge.Emulator.Hosting;

public static class EmulatorEndpoints
{
    public const string StreamRoute = "/model/{modelId}/invoke-with-bidirectional-stream";

    /// <summary>Registers the emulator's services: its options (validated at start), clock, counters and fault queue.</summary>
    public static IServiceCollection AddEmulator(this IServiceCollection services, EmulatorOptions options, TimeProvider? time = null)
    {
        var failures = new EmulatorOptionsValidator().Validate(null, options);
        if (failures.Failed)
        {
            throw new OptionsValidationException(EmulatorOptions.SectionName, typeof(EmulatorOptions), failures.Failures);
        }

        services.AddSingleton(options);
        services.TryAddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<EmulatorCounters>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<ReceivedPrompts>();
        services.AddSingleton<BidiStreamHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmulator(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(StreamRoute, (HttpContext context, string modelId, BidiStreamHandler handler) => handler.HandleAsync(context, modelId));
        return endpoints;
    }
}
