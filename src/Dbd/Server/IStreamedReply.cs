using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Server;

/// <summary>
/// A reply too large to pack into the connection's buffer first (a sacct answer can be hundreds of MB):
/// it writes its frame to the socket itself, using the connection's writer for the small parts.
/// </summary>
public interface IStreamedReply : IDbdMessage
{
    Task WriteFrameAsync(Stream stream, SlurmWriter writer, CancellationToken cancellation);
}
