using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SemanticManipulation.Studio.Api;
using SemanticManipulation.Studio.Worker;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>
/// The sessions the studio keeps: a bounded cache, at most <see cref="StudioOptions.MaxSessions"/> of them and at most
/// <see cref="StudioOptions.MaxCacheMegabytes"/> of estimated tensor memory together. Beyond either limit the least
/// recently used session (a request, or the end of its long job, counts as use) other than the one being served is
/// evicted, one with no job running before one with (evicting that cancels its open or render): its tensors are released on the worker (after any job it has queued), and its id
/// is remembered so that its tab is told plainly that it expired (410) rather than that it never existed (404).
/// </summary>
internal sealed class SessionStore : IDisposable
{
    private const int RememberedExpiries = 4096;
    private readonly Lock _lock = new();
    private readonly LinkedList<StudioSession> _recency = [];
    private readonly Dictionary<string, LinkedListNode<StudioSession>> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<string> _expiredOrder = new();
    private readonly HashSet<string> _expired = new(StringComparer.Ordinal);
    private readonly TensorWorker _worker;
    private readonly StudioOptions _options;
    private readonly ILogger<SessionStore> _logger;

    public SessionStore(TensorWorker worker, IOptions<StudioOptions> options, ILogger<SessionStore> logger)
    {
        _worker = worker;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>How many sessions are kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>The estimated memory of all sessions kept, in bytes.</summary>
    public long EstimatedBytes
    {
        get
        {
            lock (_lock)
            {
                return _recency.Sum(s => s.EstimatedBytes);
            }
        }
    }

    /// <summary>The limit on <see cref="EstimatedBytes"/>.</summary>
    public long MaxBytes => (long)_options.MaxCacheMegabytes << 20;

    /// <summary>The error an evicted session's requests get.</summary>
    public static StudioException Expired() => new(StatusCodes.Status410Gone,
        "Your session expired: the studio keeps a limited number of photos and evicted this one as the least recently used. " +
        "Reload the page and open the photo again.");

    /// <summary>Starts a session, evicting the least recently used one beyond the count limit.</summary>
    public StudioSession Create()
    {
        var session = new StudioSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        lock (_lock)
        {
            _sessions[session.Id] = _recency.AddFirst(session);
            EvictBeyondLimits(session);
        }

        return session;
    }

    /// <summary>The session <paramref name="id"/>, marked as just used.</summary>
    /// <exception cref="StudioException">410 when it expired, 404 when it never existed.</exception>
    public StudioSession Get(string id)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value;
            }

            throw _expired.Contains(id)
                ? Expired()
                : StudioException.NotFound("Unknown session id: create a session with POST /api/sessions (reloading the page does).");
        }
    }

    /// <summary>Records <paramref name="session"/>'s measured memory and evicts others if the total is over the limit.</summary>
    public void Measured(StudioSession session, long bytes)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.EstimatedBytes = bytes;
        lock (_lock)
        {
            // The session was just used (a long job ends here, long after the request that started it was seen).
            if (_sessions.TryGetValue(session.Id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
            }

            EvictBeyondLimits(session);
        }
    }

    /// <summary>Ends the session <paramref name="id"/> at its tab's request.</summary>
    /// <exception cref="StudioException">410 or 404 as <see cref="Get"/>.</exception>
    public Task Delete(string id)
    {
        StudioSession session;
        lock (_lock)
        {
            session = Get(id);
            _sessions.Remove(id);
            _recency.Remove(session);
        }

        return Release(session);
    }

    /// <summary>Releases every session, on the worker, before it stops.</summary>
    public void Dispose()
    {
        StudioSession[] all;
        lock (_lock)
        {
            all = [.. _recency];
            _recency.Clear();
            _sessions.Clear();
        }

        try
        {
            _worker.Run(() =>
            {
                foreach (var session in all)
                {
                    session.Release();
                }
            }).Wait(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is AggregateException or ObjectDisposedException)
        {
            _logger.LogWarning(ex, "Could not release the sessions at shutdown");
        }
    }

    private void EvictBeyondLimits(StudioSession keep)
    {
        var maxBytes = MaxBytes;
        while (_recency.Count > 0 &&
               (_recency.Count > _options.MaxSessions || (_recency.Count > 1 && _recency.Sum(s => s.EstimatedBytes) > maxBytes)))
        {
            var victim = Victim(keep);
            if (victim is null)
            {
                // The session being served is the only one left over the limit: keep it (one photo must fit).
                break;
            }

            _recency.Remove(_sessions[victim.Id]);
            _sessions.Remove(victim.Id);
            _expired.Add(victim.Id);
            _expiredOrder.Enqueue(victim.Id);
            if (_expiredOrder.Count > RememberedExpiries)
            {
                _expired.Remove(_expiredOrder.Dequeue());
            }

            _logger.LogInformation("Evicted session {Session} ({Megabytes:F1} MiB); {Count} kept", victim.Id[..8],
                victim.EstimatedBytes / 1048576.0, _recency.Count);
            _ = Release(victim);
        }
    }

    /// <summary>The least recently used session other than <paramref name="keep"/>, preferring one with no job running
    /// (evicting it would cancel its open or render); null when <paramref name="keep"/> is the only one.</summary>
    private StudioSession? Victim(StudioSession keep)
    {
        StudioSession? busy = null;
        for (var node = _recency.Last; node is not null; node = node.Previous)
        {
            if (ReferenceEquals(node.Value, keep))
            {
                continue;
            }

            if (node.Value.Busy is null)
            {
                return node.Value;
            }

            busy ??= node.Value;
        }

        return busy;
    }

    private Task Release(StudioSession session)
    {
        // A running render of the evicted session would hold the worker for nothing: its tab will only learn it expired.
        session.CancelJob();
        var released = _worker.Run(session.Release);
        _ = released.ContinueWith(
            t => _logger.LogError(t.Exception, "Releasing session {Session} failed", session.Id[..8]),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return released;
    }
}
