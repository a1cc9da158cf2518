namespace Bridge.Tests.Support;

/// <summary>Waits for a condition another task makes true, looking every 20 ms, until it holds or the token ends the wait.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
