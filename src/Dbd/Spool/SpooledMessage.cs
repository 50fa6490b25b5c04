using Accounting.Dbd.Handlers;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Spool;

/// <summary>
/// What a spooled controller message stands for, the same when it is acknowledged and when it is replayed:
/// the message itself, or for DBD_SEND_MULT_MSG its inner messages up to the first one that does not
/// unpack or has no handler (<see cref="MultInner"/>); and the job starts among them, in order, each of
/// which is answered with a db_index.
/// </summary>
public sealed record SpooledMessage(List<SpooledMessage.Part> Parts, PersistRc? Stop)
{
    public readonly record struct Part(IDbdMessage Message, RequestHandler Handler);

    public static SpooledMessage Expand(IDbdMessage message, ushort version, HandlerTable handlers)
    {
        if (message is not MultMessage { Type: DbdMessageType.SendMultMsg } batch)
            return new([new Part(message, handlers.Find(message.Type)!)], null);
        var parts = new List<Part>();
        foreach (var buffer in batch.Buffers ?? [])
        {
            var decoded = MultInner.Decode(buffer, version, handlers);
            if (decoded.Failure is { } failure)
                return new(parts, failure);
            parts.Add(new Part(decoded.Message!, decoded.Handler!));
        }
        return new(parts, null);
    }

    public IEnumerable<JobStartMessage> JobStarts => Parts.SelectMany(part => part.Message switch
    {
        JobStartMessage job => [job],
        ListMessage<JobStartMessage> list => list.Items ?? [],
        _ => Enumerable.Empty<JobStartMessage>(),
    });

    /// <summary>A job start that carries its db_index already is answered with it; only the others draw one.</summary>
    public static bool KnowsIndex(JobStartMessage job) => job.DbIndex != 0 && job.DbIndex != JobStartMessage.DbIndexPending;

    /// <summary>The reply the controller expects, for a message now safely in the spool.</summary>
    public IDbdMessage Acknowledgement(IDbdMessage request, IReadOnlyList<ulong> slots, ushort version)
    {
        int next = 0;
        IdReturnCode IdReply(JobStartMessage job)
        {
            ulong slot = slots[next++];
            return new IdReturnCode(job.JobId, slot != 0 ? slot : job.DbIndex, 0, SlurmError.Success);
        }
        IDbdMessage Reply(IDbdMessage message) => message switch
        {
            JobStartMessage job => IdReply(job),
            ListMessage<JobStartMessage> list => new ListMessage<IdReturnCode>(DbdMessageType.GotMultJobStart, (list.Items ?? []).Select(IdReply).ToList()),
            _ => PersistRc.Ok(message.Type),
        };
        if (request is not MultMessage)
            return Reply(request);
        var replies = Parts.Select(part => Reply(part.Message)).ToList();
        if (Stop is not null)
            replies.Add(Stop);
        return MultMessage.FromMessages(DbdMessageType.GotMultMsg, replies, version);
    }
}
