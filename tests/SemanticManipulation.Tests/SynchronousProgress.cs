namespace SemanticManipulation.Tests;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler inline (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
