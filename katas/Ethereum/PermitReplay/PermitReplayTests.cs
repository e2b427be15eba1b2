using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Koans.Testing.Chain;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.PermitReplay;

public partial class PermitReplayTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/PaymentVouchers.sol: VoucherVault (no nonce, no deadline, name-and-version domain, bare
    // ecrecover) and PermitVault (nonce, deadline, full domain, OpenZeppelin EIP712 + Nonces + ECDSA).
    private static readonly ContractArtifact VoucherVault = ContractArtifact.Load("VoucherVault");
    private static readonly ContractArtifact PermitVault = ContractArtifact.Load("PermitVault");

    // secp256k1's group order n: SEC 2 (Certicom, version 2.0, 2010), section 2.4.1, "n = FFFFFFFF FFFFFFFF FFFFFFFF
    // FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141". https://www.secg.org/sec2-v2.pdf
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);

    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    // Account 0 is the issuer (deploys and funds the vaults, signs payments), account 1 a relayer that submits an
    // honest redemption, account 9 the payee who turns attacker.
    private const int IssuerIndex = 0;
    private const int RelayerIndex = 1;
    private const int AttackerIndex = 9;

    // Snapshots isolate the tests: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Web3 As(int index) => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string AddressOf(int index) => new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index]).Address;

    private string IssuerKey => Chain.PrivateKeys[IssuerIndex];

    private string Attacker => AddressOf(AttackerIndex);

    private ReplayAttack AttackerTool => new(As(AttackerIndex));

    private async Task<BigInteger> BalanceAsync(string address) => (await As(IssuerIndex).Eth.GetBalance.SendRequestAsync(address)).Value;

    private async Task<BigInteger> NonceAsync(int index) => (await As(IssuerIndex).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(index))).Value;

    /// <summary>
    /// A hang guard, not a time assertion: the attack's answer, or a named failure after 30 s instead of the runner's
    /// kata timeout. A transaction that is never mined (sent with too little gas, say) leaves a receipt wait hanging.
    /// </summary>
    private static async Task<T> Guarded<T>(Task<T> attack)
    {
        try
        {
            return await attack.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("The attack had not finished after 30 s: is it waiting for the receipt of a transaction the node will never mine? A transaction with calldata needs more gas than a plain transfer's 21000: estimate it.", e);
        }
    }

    private static BigInteger GasPaid(IEnumerable<TransactionReceipt> receipts) =>
        receipts.Aggregate(BigInteger.Zero, (sum, r) => sum + (r.GasUsed.Value * r.EffectiveGasPrice.Value));

    // ---- Setup helpers (provided): the issuer deploys and funds vaults; a relayer submits honest redemptions. ----

    private async Task<string> DeployAsync(ContractArtifact artifact, BigInteger funds)
    {
        var receipt = await As(IssuerIndex).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(artifact.Bytecode), AddressOf(IssuerIndex), new HexBigInteger(2_000_000), new HexBigInteger(funds), Ct);
        receipt.Status.Value.Should().Be(BigInteger.One, $"{artifact.Name}'s constructor cannot fail");
        return receipt.ContractAddress;
    }

    private static byte[] RedeemCalldata(ContractArtifact vault, params object[] arguments) =>
        new Nethereum.Contracts.Contract(null, vault.Abi.GetRawText(), null).GetFunction("redeem").GetData(arguments).HexToByteArray();

    /// <summary>The relayer submits a redemption with a fixed gas limit; the receipt says whether it was paid.</summary>
    private async Task<TransactionReceipt> SubmitAsync(string vault, byte[] calldata)
    {
        var relayer = AddressOf(RelayerIndex);
        return await As(RelayerIndex).TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = relayer, To = vault, Data = calldata.ToHex(prefix: true), Gas = new HexBigInteger(300_000) }, Ct);
    }

    /// <summary>What the vault answers to the calldata now (eth_call): null when it would pay, else the custom error's name.</summary>
    private async Task<string?> RefusalAsync(ContractArtifact artifact, string vault, byte[] calldata)
    {
        try
        {
            await Chain.RpcAsync("eth_call", new { from = AddressOf(RelayerIndex), to = vault, data = calldata.ToHex(prefix: true) }, "latest");
            return null;
        }
        catch (InvalidOperationException e) when (RevertData().Match(e.Message) is { Success: true } match)
        {
            var selector = match.Groups[1].Value.ToLowerInvariant();
            foreach (var error in artifact.Abi.EnumerateArray().Where(x => x.GetProperty("type").GetString() == "error"))
            {
                var signature = $"{error.GetProperty("name").GetString()}({string.Join(',', error.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()))})";
                if (Sha3Keccack.Current.CalculateHash(signature)[..8] == selector)
                {
                    return error.GetProperty("name").GetString();
                }
            }

            return "unknown error 0x" + selector;
        }
    }

    [GeneratedRegex("\"data\":\"0x([0-9a-fA-F]{8})")]
    private static partial Regex RevertData();

    private async Task<byte[]> DigestAsync(ContractArtifact artifact, string vault, params object[] arguments) =>
        await As(IssuerIndex).Eth.GetContract(artifact.Abi.GetRawText(), vault).GetFunction("digestOf").CallAsync<byte[]>(arguments);

    private static string Recover(byte[] digest, byte[] signature) =>
        EthECKey.RecoverFromSignature(EthECDSASignatureFactory.FromComponents(signature[..32], signature[32..64], signature[64]), digest).GetPublicAddress();

    private async Task<BigInteger> LatestTimestampAsync() =>
        (await As(IssuerIndex).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value;

    private static BigInteger S(byte[] signature) => new(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);

    /// <summary>A VoucherVault holding <paramref name="funds"/>, and the hash of the relayer's honest redemption of a voucher of <paramref name="amount"/> to the attacker.</summary>
    private async Task<(string Vault, string RedemptionHash)> VoucherRedeemedOnceAsync(BigInteger funds, BigInteger amount)
    {
        var vault = await DeployAsync(VoucherVault, funds);
        var signature = PaymentSigner.SignVoucher(new Voucher(Attacker, amount), IssuerKey);
        var receipt = await SubmitAsync(vault, RedeemCalldata(VoucherVault, Attacker, amount, signature));
        receipt.Status.Value.Should().Be(BigInteger.One, "the issuer's own voucher, signed by SignVoucher, is paid the first time");
        return (vault, receipt.TransactionHash);
    }

    /// <summary>A PermitVault holding <paramref name="funds"/>, and the hash of the relayer's honest redemption of a permit of <paramref name="amount"/> to the attacker.</summary>
    private async Task<(string Vault, string RedemptionHash)> PermitRedeemedOnceAsync(BigInteger funds, BigInteger amount)
    {
        var vault = await DeployAsync(PermitVault, funds);
        var deadline = await LatestTimestampAsync() + 3600;
        var signature = PaymentSigner.SignPermit(new Permit(Attacker, amount, BigInteger.Zero, deadline), AnvilAccounts.ChainId, vault, IssuerKey);
        var receipt = await SubmitAsync(vault, RedeemCalldata(PermitVault, Attacker, amount, BigInteger.Zero, deadline, signature));
        receipt.Status.Value.Should().Be(BigInteger.One, "the issuer's permit with nonce 0, signed by SignPermit for this chain and this vault, is paid the first time");
        return (vault, receipt.TransactionHash);
    }

    // ---- The issuer's signatures ----

    [Fact]
    public async Task SignVoucher_signs_the_digest_VoucherVault_computes_with_low_s_and_v_27_or_28()
    {
        var vault = await DeployAsync(VoucherVault, 2 * Ether);

        var signature = PaymentSigner.SignVoucher(new Voucher(Attacker, Ether), IssuerKey);

        signature.Should().HaveCount(65, "r, s and v: the layout VoucherVault reads");
        signature[64].Should().BeOneOf([27, 28], "ecrecover takes v = 27 or 28; a recovery id of 0 or 1 recovers nobody");
        S(signature).Should().BeLessThanOrEqualTo(N / 2, "a signer following RFC 6979 and EIP-2 gives the low-s form");
        var digest = await DigestAsync(VoucherVault, vault, Attacker, Ether);
        Recover(digest, signature).Should().BeEquivalentTo(AddressOf(IssuerIndex),
            "the signature must be over the digest the vault computes: EIP-712's 0x1901 prefix, the name-and-version domain separator, and the hash of Payment(address payee,uint256 amount) (not an EIP-191 personal message, not a domain with fields the vault never hashed)");
        var before = await BalanceAsync(Attacker);
        (await SubmitAsync(vault, RedeemCalldata(VoucherVault, Attacker, Ether, signature))).Status.Value.Should().Be(BigInteger.One, "the vault pays its issuer's voucher");
        (await BalanceAsync(Attacker)).Should().Be(before + Ether, "the relayer paid the gas; the payee got the whole amount");
    }

    [Fact]
    public async Task SignPermit_binds_the_chain_and_the_vault_and_PermitVault_pays_it_once()
    {
        var vault = await DeployAsync(PermitVault, 2 * Ether);
        var deadline = await LatestTimestampAsync() + 3600;

        var signature = PaymentSigner.SignPermit(new Permit(Attacker, Ether, BigInteger.Zero, deadline), AnvilAccounts.ChainId, vault, IssuerKey);

        signature.Should().HaveCount(65);
        signature[64].Should().BeOneOf([27, 28], "OpenZeppelin's ECDSA.recover takes v = 27 or 28");
        S(signature).Should().BeLessThanOrEqualTo(N / 2, "OpenZeppelin's ECDSA.recover refuses a high s (ECDSAInvalidSignatureS)");
        var digest = await DigestAsync(PermitVault, vault, Attacker, Ether, BigInteger.Zero, deadline);
        Recover(digest, signature).Should().BeEquivalentTo(AddressOf(IssuerIndex),
            "the digest binds the domain EIP712Domain(string name,string version,uint256 chainId,address verifyingContract) with this chain's id and this vault's address, and Payment(address payee,uint256 amount,uint256 nonce,uint256 deadline)");
        var calldata = RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, deadline, signature);
        (await SubmitAsync(vault, calldata)).Status.Value.Should().Be(BigInteger.One, "the vault pays the permit carrying the issuer's current nonce");
        (await As(IssuerIndex).Eth.GetContract(PermitVault.Abi.GetRawText(), vault).GetFunction("nonces").CallAsync<BigInteger>(AddressOf(IssuerIndex)))
            .Should().Be(BigInteger.One, "paying it spent nonce 0");
        (await RefusalAsync(PermitVault, vault, calldata)).Should().Be("InvalidAccountNonce", "the same permit a second time carries a spent nonce");
    }

    [Fact]
    public async Task Signing_refuses_a_negative_amount()
    {
        var vault = await DeployAsync(PermitVault, BigInteger.Zero);

        var voucher = () => PaymentSigner.SignVoucher(new Voucher(Attacker, -Ether), IssuerKey);
        var permit = () => PaymentSigner.SignPermit(new Permit(Attacker, -Ether, BigInteger.Zero, BigInteger.One), AnvilAccounts.ChainId, vault, IssuerKey);

        voucher.Should().Throw<ArgumentOutOfRangeException>("a uint256 has no negative values: signing one would sign bytes nobody meant");
        permit.Should().Throw<ArgumentOutOfRangeException>("a uint256 has no negative values");
    }

    [Fact]
    public async Task Every_entry_point_refuses_a_missing_or_blank_argument_by_name_before_any_transaction()
    {
        var vault = await DeployAsync(VoucherVault, Ether);
        var captured = new CapturedRedemption(vault, Attacker, Ether, [0x01, 0x02]);
        var nonce = await NonceAsync(AttackerIndex);

        var malleateNull = () => PaymentSigner.Malleate(null!);
        var signNull = () => PaymentSigner.SignVoucher(null!, IssuerKey);
        var permitNull = () => PaymentSigner.SignPermit(null!, AnvilAccounts.ChainId, vault, IssuerKey);
        var captureBlank = () => Guarded(AttackerTool.CaptureAsync("  ", Ct));
        var replayBlank = () => Guarded(AttackerTool.ReplayAsync(" ", captured, Ct));
        var replayNull = () => Guarded(AttackerTool.ReplayAsync(vault, null!, Ct));

        malleateNull.Should().Throw<ArgumentNullException>("a missing signature is the caller's bug, reported as one and not as a NullReferenceException");
        signNull.Should().Throw<ArgumentNullException>();
        permitNull.Should().Throw<ArgumentNullException>();
        await captureBlank.Should().ThrowAsync<ArgumentException>("a blank hash is the caller's bug, not a question for the node");
        await replayBlank.Should().ThrowAsync<ArgumentException>("a blank vault address is the caller's bug, not a question for the node");
        await replayNull.Should().ThrowAsync<ArgumentNullException>();
        (await NonceAsync(AttackerIndex)).Should().Be(nonce, "nothing was sent");
    }

    // ---- Reading a redemption off the chain ----

    [Fact]
    public async Task Capture_reads_the_vault_payee_amount_and_calldata_of_a_mined_redemption_of_either_kind()
    {
        var (voucherVault, voucherRedemption) = await VoucherRedeemedOnceAsync(10 * Ether, 2 * Ether);
        var (permitVault, permitRedemption) = await PermitRedeemedOnceAsync(10 * Ether, 3 * Ether);

        var voucher = await Guarded(AttackerTool.CaptureAsync(voucherRedemption, Ct));
        var permit = await Guarded(AttackerTool.CaptureAsync(permitRedemption, Ct));

        voucher.Vault.Should().BeEquivalentTo(voucherVault, "the transaction's 'to' is the vault it redeemed at");
        voucher.Payee.Should().BeEquivalentTo(Attacker);
        voucher.Amount.Should().Be(2 * Ether, "the amount is the second argument of redeem(address,uint256,bytes)");
        var voucherInput = (await As(IssuerIndex).Eth.Transactions.GetTransactionByHash.SendRequestAsync(voucherRedemption)).Input.HexToByteArray();
        voucher.Calldata.Should().Equal(voucherInput, "the calldata is the transaction's input, byte for byte: selector, arguments, signature");
        permit.Vault.Should().BeEquivalentTo(permitVault);
        permit.Payee.Should().BeEquivalentTo(Attacker);
        permit.Amount.Should().Be(3 * Ether, "PermitVault's redeem(address,uint256,uint256,uint256,bytes) has another selector and more arguments: decode by the selector the input starts with");
        var permitInput = (await As(IssuerIndex).Eth.Transactions.GetTransactionByHash.SendRequestAsync(permitRedemption)).Input.HexToByteArray();
        permit.Calldata.Should().Equal(permitInput);
    }

    [Fact]
    public async Task Capture_refuses_a_transaction_that_is_no_redemption_and_one_the_node_does_not_know()
    {
        var vault = await DeployAsync(VoucherVault, BigInteger.Zero);
        var funding = await As(IssuerIndex).TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = AddressOf(IssuerIndex), To = vault, Value = new HexBigInteger(Ether), Gas = new HexBigInteger(100_000) }, Ct);
        funding.Status.Value.Should().Be(BigInteger.One, "the vault's receive() accepts ether");

        var plainTransfer = () => Guarded(AttackerTool.CaptureAsync(funding.TransactionHash, Ct));
        var unknown = () => Guarded(AttackerTool.CaptureAsync("0x" + new string('0', 63) + "1", Ct));

        await plainTransfer.Should().ThrowAsync<InvalidOperationException>("an ether transfer to the vault calls no redeem function: there is no payee or amount to decode");
        await unknown.Should().ThrowAsync<InvalidOperationException>("the node answers null for a transaction it does not know; say so instead of dereferencing it");
    }

    // ---- The attack on VoucherVault ----

    [Fact]
    public async Task The_replayed_voucher_drains_VoucherVault_to_the_payee()
    {
        var (vault, redemption) = await VoucherRedeemedOnceAsync(10 * Ether, Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));
        var before = await BalanceAsync(Attacker);

        var report = await Guarded(AttackerTool.ReplayAsync(vault, captured, Ct));

        (await BalanceAsync(vault)).Should().Be(BigInteger.Zero,
            "nothing in Payment(address payee,uint256 amount) changes between redemptions: the vault recovers its issuer from the same digest every time and pays again");
        report.Redemptions.Should().Be(9, "the honest redemption left 9 ETH: nine more payments of 1 ETH");
        report.Paid.Should().Be(9 * Ether);
        report.Transactions.Should().HaveCount(9).And.OnlyContain(r => r.From.Equals(Attacker, StringComparison.OrdinalIgnoreCase),
            "every replay is sent, and paid for, by the attacker's account");
        (await BalanceAsync(Attacker)).Should().Be(before + (9 * Ether) - GasPaid(report.Transactions),
            "the payee gets 9 ETH more than the issuer ever meant and pays gasUsed * effectiveGasPrice for each transaction in the report: every transaction sent must be in it");
    }

    [Fact]
    public async Task A_balance_that_is_not_a_whole_number_of_vouchers_keeps_less_than_one()
    {
        var (vault, redemption) = await VoucherRedeemedOnceAsync(10 * Ether, 3 * Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));

        var report = await Guarded(AttackerTool.ReplayAsync(vault, captured, Ct));

        report.Redemptions.Should().Be(2, "7 ETH left after the honest redemption hold two whole vouchers of 3 ETH");
        report.Transactions.Should().HaveCount(2, "a third replay would fail the vault's transfer (TransferFailed): not sent, or it is a refusal");
        (await BalanceAsync(vault)).Should().Be(Ether, "the 1 ETH left is less than one voucher");
    }

    [Fact]
    public async Task The_same_voucher_pays_at_every_vault_of_its_issuer()
    {
        var (_, redemption) = await VoucherRedeemedOnceAsync(2 * Ether, Ether);
        var newVault = await DeployAsync(VoucherVault, 5 * Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));

        var report = await Guarded(AttackerTool.ReplayAsync(newVault, captured, Ct));

        report.Redemptions.Should().Be(5,
            "VoucherVault's domain is only a name and a version: without verifyingContract (and chainId) every vault of the issuer computes the same digest, so a voucher made for one pays at all of them");
        (await BalanceAsync(newVault)).Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task A_zero_amount_is_refused_before_any_transaction()
    {
        var (vault, redemption) = await VoucherRedeemedOnceAsync(3 * Ether, Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));
        var nonce = await NonceAsync(AttackerIndex);

        var act = () => Guarded(AttackerTool.ReplayAsync(vault, captured with { Amount = BigInteger.Zero }, Ct));

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("a payment of nothing takes nothing, and a balance holds infinitely many of them");
        (await NonceAsync(AttackerIndex)).Should().Be(nonce, "the amount is checked before the attacker's account sends (and pays for) anything");
    }

    // ---- The same attack on PermitVault ----

    [Fact]
    public async Task PermitVault_refuses_the_replayed_permit_because_its_nonce_is_spent()
    {
        var (vault, redemption) = await PermitRedeemedOnceAsync(10 * Ether, Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));

        var act = () => Guarded(AttackerTool.ReplayAsync(vault, captured, Ct));

        await act.Should().ThrowAsync<ReplayRefusedException>(
            "the permit carries nonce 0, which its honest redemption spent: the vault refuses it, and the attacker must report the refusal instead of a drain that never happened");
        (await BalanceAsync(vault)).Should().Be(9 * Ether, "only the honest redemption was paid");
        (await RefusalAsync(PermitVault, vault, captured.Calldata)).Should().Be("InvalidAccountNonce", "OpenZeppelin's Nonces: the issuer's current nonce is 1 now");
    }

    [Fact]
    public async Task A_permit_for_one_PermitVault_is_refused_by_another()
    {
        var (_, redemption) = await PermitRedeemedOnceAsync(2 * Ether, Ether);
        var otherVault = await DeployAsync(PermitVault, 5 * Ether);
        var captured = await Guarded(AttackerTool.CaptureAsync(redemption, Ct));

        var act = () => Guarded(AttackerTool.ReplayAsync(otherVault, captured, Ct));

        await act.Should().ThrowAsync<ReplayRefusedException>(
            "nonce 0 is still unspent at the other vault, but its domain separator holds its own address (verifyingContract): the digest differs and recovers somebody else");
        (await BalanceAsync(otherVault)).Should().Be(5 * Ether);
        (await RefusalAsync(PermitVault, otherVault, captured.Calldata)).Should().Be("WrongSigner");
    }

    [Fact]
    public async Task PermitVault_refuses_an_expired_permit_and_one_signed_for_another_chain()
    {
        var vault = await DeployAsync(PermitVault, 5 * Ether);
        var now = await LatestTimestampAsync();

        var expired = PaymentSigner.SignPermit(new Permit(Attacker, Ether, BigInteger.Zero, now - 1), AnvilAccounts.ChainId, vault, IssuerKey);
        var mainnet = PaymentSigner.SignPermit(new Permit(Attacker, Ether, BigInteger.Zero, now + 3600), BigInteger.One, vault, IssuerKey);

        (await RefusalAsync(PermitVault, vault, RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, now - 1, expired))).Should().Be("ExpiredPayment",
            "the deadline is signed: a permit leaked or held back is worthless once it has passed");
        (await RefusalAsync(PermitVault, vault, RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, now + 3600, mainnet))).Should().Be("WrongSigner",
            "a permit signed for chain 1 binds chainId 1 in its domain: on chain 31337 (or a fork of chain 1 with a new id) it recovers somebody else");
        var valid = PaymentSigner.SignPermit(new Permit(Attacker, Ether, BigInteger.Zero, now + 3600), AnvilAccounts.ChainId, vault, IssuerKey);
        (await RefusalAsync(PermitVault, vault, RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, now + 3600, valid))).Should().BeNull(
            "the same permit signed for this chain, before its deadline, is paid: the refusals above are about the chain and the time, nothing else");
    }

    // ---- Malleability ----

    [Fact]
    public async Task Malleate_gives_the_twin_signature_that_bare_ecrecover_accepts()
    {
        var vault = await DeployAsync(VoucherVault, 2 * Ether);
        var signature = PaymentSigner.SignVoucher(new Voucher(Attacker, Ether), IssuerKey);

        var twin = PaymentSigner.Malleate(signature);

        twin.Should().NotEqual(signature);
        twin[..32].Should().Equal(signature[..32], "r is the x coordinate of the nonce point, shared by both twins");
        S(twin).Should().Be(N - S(signature), "the twin's s is n - s (n from SEC 2 section 2.4.1)");
        twin[64].Should().Be((byte)(55 - signature[64]), "-s flips the parity of the recovered point's y: v 27 becomes 28 and 28 becomes 27");
        PaymentSigner.Malleate(twin).Should().Equal(signature, "n - (n - s) = s: malleating twice gives the original back");
        var digest = await DigestAsync(VoucherVault, vault, Attacker, Ether);
        Recover(digest, twin).Should().BeEquivalentTo(AddressOf(IssuerIndex), "the twin verifies for the same key and the same digest");
        (await SubmitAsync(vault, RedeemCalldata(VoucherVault, Attacker, Ether, twin))).Status.Value.Should().Be(BigInteger.One,
            "the ecrecover precompile takes a high s: a vault that remembered spent signature bytes would pay this 'new' signature again");
    }

    [Fact]
    public async Task PermitVault_refuses_the_high_s_twin_of_a_valid_permit()
    {
        var vault = await DeployAsync(PermitVault, 2 * Ether);
        var deadline = await LatestTimestampAsync() + 3600;
        var signature = PaymentSigner.SignPermit(new Permit(Attacker, Ether, BigInteger.Zero, deadline), AnvilAccounts.ChainId, vault, IssuerKey);

        var twin = PaymentSigner.Malleate(signature);

        (await RefusalAsync(PermitVault, vault, RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, deadline, twin))).Should().Be("ECDSAInvalidSignatureS",
            "OpenZeppelin's ECDSA.recover takes only s <= n/2, so each permit has exactly one valid signature; another error means the twin is not n - s with v flipped");
        (await RefusalAsync(PermitVault, vault, RedeemCalldata(PermitVault, Attacker, Ether, BigInteger.Zero, deadline, signature))).Should().BeNull(
            "the canonical signature of the same permit is paid");
    }

    public static TheoryData<string, string> NotSignatures => new()
    {
        // 65 bytes of r (1), s, v; each case breaks one rule.
        { "64 bytes", new string('1', 128) },
        { "66 bytes", new string('1', 130) + "1b" },
        { "v = 0", new string('1', 128) + "00" },
        { "v = 29", new string('1', 128) + "1d" },
        { "s = 0", new string('1', 64) + new string('0', 64) + "1b" },
        { "s = n", new string('1', 64) + "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141" + "1b" },
    };

    [Theory]
    [MemberData(nameof(NotSignatures))]
    public void Malleate_refuses_what_is_not_a_secp256k1_signature(string why, string hex)
    {
        var act = () => PaymentSigner.Malleate(Convert.FromHexString(hex));

        act.Should().Throw<ArgumentException>($"{why}: a signature is r (32 bytes), s in [1, n - 1] (32 bytes) and v = 27 or 28");
    }
}
