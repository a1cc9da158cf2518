namespace Bridge.Api;

/// <summary>
/// Names this assembly for <c>WebApplicationFactory</c> in the tests: both services' top-level <c>Program</c>
/// classes are global, so the tests cannot name either.
/// </summary>
public sealed class ApiEntryPoint;
