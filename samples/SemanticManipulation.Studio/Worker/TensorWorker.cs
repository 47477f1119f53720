using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace SemanticManipulation.Studio.Worker;

/// <summary>
/// The one thread all tensor work runs on. TorchSharp's dispose scopes belong to a thread and a
/// <see cref="Pipeline.PhotoEdit"/> must stay on one, so requests queue their work here and await it instead of running
/// it on whichever thread-pool thread serves them. Jobs run one at a time, in order, each inside its own dispose scope
/// (temporaries are freed when the job ends); a job returns managed data or objects that own their tensors.
/// </summary>
internal sealed class TensorWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;
    private int _pending;

    public TensorWorker()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "studio-tensor-worker" };
        _thread.Start();
    }

    /// <summary>Jobs queued or running.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Whether the caller is on the worker thread.</summary>
    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>Queues <paramref name="work"/>; a job cancelled before it starts is skipped.</summary>
    /// <param name="work">Runs on the worker thread; must not block on other jobs.</param>
    /// <param name="cancellationToken">Skips the job if cancelled while it waits (the job itself watches the token to stop
    /// once running).</param>
    /// <returns>The job's result, or its exception.</returns>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _pending);
        try
        {
            _queue.Add(() =>
            {
                try
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        completion.TrySetCanceled(cancellationToken);
                        return;
                    }

                    T result;
                    using (NewDisposeScope())
                    {
                        result = work();
                    }

                    completion.TrySetResult(result);
                }
                catch (OperationCanceledException ex)
                {
                    completion.TrySetCanceled(ex.CancellationToken);
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Decrement(ref _pending);
            throw new ObjectDisposedException(nameof(TensorWorker), "The studio is shutting down.");
        }

        return completion.Task;
    }

    /// <summary>Queues <paramref name="work"/> with no result.</summary>
    public Task Run(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Run(() =>
        {
            work();
            return true;
        }, cancellationToken);
    }

    /// <summary>Lets queued jobs finish, then stops the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (!IsCurrentThread)
        {
            _thread.Join();
        }

        _queue.Dispose();
    }

    private void Loop()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
        {
            job();
        }
    }
}
