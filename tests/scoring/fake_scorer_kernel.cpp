// The kernel symbol a generated object exports, backed by the fake kernel.
#include "FakeKernel.h"

extern "C" void rubric_kernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  fake::fakeKernel(frame, begin, end, phase);
}
