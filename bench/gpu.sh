#!/usr/bin/env bash
# SALI Stream on an NVIDIA GPU, in one go: the golden parity tests on the GPU, then the model and pipeline
# benchmarks, all written to one result file. Needs Java 17, Maven, nvidia-smi, the golden data, and a libtorch
# 2.7.1 built for CUDA 12.8 (DJL 0.36.0's PyTorch; its JNI bridge for cu128 is in the pytorch-jni jar):
#   https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
# or the lib/ folder of a pip-installed torch==2.7.1+cu128.
#
# Usage: bench/gpu.sh LIBTORCH_DIR [RESULT_FILE]
#   LIBTORCH_DIR  the unzipped libtorch (holding lib/libtorch_cuda.so)
#   RESULT_FILE   default bench-out/gpu-<host>-<time>.txt
# Environment: SALI_GOLDEN (default ../shared/golden), SALI_GPU_FRAMES (frames per benchmark clip, default 30),
#   PYTORCH_FLAVOR (default cu128), MAVEN_OPTS (passed on).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIBTORCH="${1:?usage: bench/gpu.sh LIBTORCH_DIR [RESULT_FILE]}"
LIBTORCH="$(cd "$LIBTORCH" && pwd)"
OUT="${2:-$ROOT/bench-out/gpu-$(hostname)-$(date +%Y%m%dT%H%M%S).txt}"
GOLDEN="$(cd "${SALI_GOLDEN:-$ROOT/../shared/golden}" && pwd)"
FRAMES="${SALI_GPU_FRAMES:-30}"
LIB="$LIBTORCH/lib"
[[ -d "$LIB" ]] || LIB="$LIBTORCH"   # a pip torch's lib/ given directly
[[ -f "$LIB/libtorch_cuda.so" ]] || { echo "gpu.sh: no libtorch_cuda.so in $LIB (a CUDA build of libtorch 2.7.1 is needed)" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu.sh: nvidia-smi not found: no NVIDIA driver on this machine" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"

# DJL's standard way to a local libtorch: load it from this path, never download.
export PYTORCH_LIBRARY_PATH="$LIB" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}" DJL_OFFLINE=true
export LD_LIBRARY_PATH="$LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cd "$ROOT"

section() { printf '\n===== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)" | tee -a "$OUT"; }
{
  echo "SALI Stream GPU run: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), host $(hostname)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  echo "libtorch: $LIB ($PYTORCH_FLAVOR); $(nproc) CPU cores; $(java -version 2>&1 | head -1)"
} | tee "$OUT"

section "build"
mvn -B -q -DskipTests install 2>&1 | tail -20 | tee -a "$OUT"

# The benchmark says which device DJL chose: stop unless it is the GPU (a CPU run would look like a result).
section "device check"
SALI_NO_BUILD=1 bin/sali bench model --backbones pvt_v2_b0 --frames 2 --warmup 0 --procedures 1 --threads 0 2>&1 \
  | tee -a "$OUT" | grep -q "on gpu(" || { echo "gpu.sh: DJL did not select the GPU (see $OUT)" | tee -a "$OUT" >&2; exit 1; }

section "parity tests on the GPU (ops-align, model-runtime, trainer golden tests)"
set +e
mvn -B -Dsali.golden.dir="$GOLDEN" -pl ops-align,model-runtime,trainer -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='DeformConvGoldenTest,ResampleGoldenTest,ModulatedDeformConv2dReferenceTest,GoldenParityTest,SegmentCommandTest,BatchedSegmentTest,MemoryReaderTest,*Golden*' \
  test 2>&1 | grep -E "Tests run:|FAIL|worst|on gpu|on cpu|BUILD" | tee -a "$OUT"
PARITY=${PIPESTATUS[0]}
set -e
echo "parity exit code: $PARITY" | tee -a "$OUT"

section "model benchmark (streaming, naive, batched x4; GPU, untrained weights)"
SALI_NO_BUILD=1 bin/sali bench model --backbones pvt_v2_b0,pvt_v2_b5 --frames "$FRAMES" --procedures 4 --threads 0 2>&1 | tee -a "$OUT"

section "model profile (per block; GPU times include waiting for earlier asynchronous kernels)"
SALI_NO_BUILD=1 bin/sali bench model --backbones pvt_v2_b0,pvt_v2_b5 --frames 10 --profile --threads 0 2>&1 | tee -a "$OUT"

section "pipeline benchmark (embedded Kafka + Flink MiniCluster on this machine)"
SALI_NO_BUILD=1 bin/sali bench pipeline --procedures 1,4,8 --frames "$FRAMES" --work "$ROOT/bench-out/gpu-pipeline" 2>&1 | tee -a "$OUT"

section "done"
echo "result file: $OUT (parity exit code $PARITY)" | tee -a "$OUT"
exit "$PARITY"
