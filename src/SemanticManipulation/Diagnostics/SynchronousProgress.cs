namespace SemanticManipulation.Diagnostics;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler inline, on the reporting thread. <see cref="Progress{T}"/> posts
/// to the thread pool instead, which reorders reports and lets them outlive a dispose scope; tensor work reports from
/// the one thread that owns its tensors, so relays and mappings between progress types use this.
/// </summary>
/// <typeparam name="T">The progress value.</typeparam>
/// <param name="handler">Runs for every report, inline.</param>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <summary>Runs the handler with <paramref name="value"/> on the calling thread.</summary>
    public void Report(T value) => handler(value);
}
