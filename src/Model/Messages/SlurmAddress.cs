using System.Net;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// slurm_pack_addr (wire spec §3.2). Slurm loads the network-order IPv4 address and port as host
/// integers and writes those big-endian, so from a little-endian sender the bytes come out reversed;
/// we keep the wire words as they are and only interpret them on request.
/// </summary>
public sealed record SlurmAddress(ushort Family, uint AddressWord, byte[]? Address6, ushort PortWord)
{
    public const ushort FamilyUnset = 0;
    public const ushort FamilyInet = 2;
    public const ushort FamilyInet6 = 10;

    public static readonly SlurmAddress Unset = new(FamilyUnset, 0, null, 0);

    /// <summary>The address as a little-endian Slurm host would have packed it.</summary>
    public static SlurmAddress FromEndPoint(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.GetAddressBytes();
        ushort swappedPort = (ushort)(((endPoint.Port & 0xFF) << 8) | ((endPoint.Port >> 8) & 0xFF));
        if (bytes.Length == 4)
            return new SlurmAddress(FamilyInet, BitConverter.ToUInt32(bytes), null, swappedPort);
        return new SlurmAddress(FamilyInet6, 0, bytes, swappedPort);
    }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Family);
        switch (Family)
        {
            case FamilyInet:
                writer.WriteU32(AddressWord);
                writer.WriteU16(PortWord);
                break;
            case FamilyInet6:
                writer.WriteMemory(Address6 ?? new byte[16]);
                writer.WriteU16(PortWord);
                break;
        }
    }

    public static SlurmAddress Unpack(ref SlurmReader reader)
    {
        ushort family = reader.ReadU16();
        switch (family)
        {
            case FamilyInet:
                return new SlurmAddress(family, reader.ReadU32(), null, reader.ReadU16());
            case FamilyInet6:
                int at = reader.Position;
                var address = reader.ReadMemory();
                if (address.Length != 16)
                    throw new WireFormatException(at, $"IPv6 address of {address.Length} bytes");
                return new SlurmAddress(family, 0, address.ToArray(), reader.ReadU16());
            default:
                // slurm_unpack_addr_no_alloc zeroes the address and reads nothing more.
                return new SlurmAddress(family, 0, null, 0);
        }
    }
}
