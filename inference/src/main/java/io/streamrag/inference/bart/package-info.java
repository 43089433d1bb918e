/**
 * BART ({@code BartForConditionalGeneration}) in plain Java on DJL NDArrays (PyTorch engine), split the way the
 * forward pass reads:
 *
 * <ul>
 *   <li>{@link io.streamrag.inference.bart.BartConfig}: the architecture keys of {@code config.json};</li>
 *   <li>{@code BartWeights}: the tensors, grouped into the shared blocks of {@link io.streamrag.inference.nn}
 *       (embeddings, attention, feed-forward, the post-LN encoder layer) and BART's own {@code DecoderLayer},
 *       loaded by {@code BartCheckpointLoader} from Hugging Face names (all tied-embedding layouts, F32/F16/BF16
 *       safetensors, single or sharded);</li>
 *   <li>{@link io.streamrag.inference.bart.BartModel}: encoder, cached decoder, tied LM head (load / encode /
 *       decode step);</li>
 *   <li>{@link io.streamrag.inference.bart.BartTeacherForcing}: teacher-forced log-likelihoods of given targets,
 *       on the decoder-input layout of {@code generate.TeacherForcedBatch};</li>
 *   <li>{@link io.streamrag.inference.bart.BartDecoderState}: the per-request KV cache;</li>
 *   <li>{@link io.streamrag.inference.bart.BartGenerator}: the {@code TextGenerator} port (tokenizer + search).</li>
 * </ul>
 *
 * <p>Search lives in {@code io.streamrag.inference.generate} and sees the model only as a
 * {@link io.streamrag.inference.generate.DecodingSession}. A decoder that combines several encoder inputs per
 * hypothesis (RAG-Token over k documents) uses the model directly: {@code encode} the (question, document) inputs
 * once, {@link io.streamrag.inference.bart.BartDecoderState#selectRows} to lay out rows (e.g. beam x document),
 * {@link io.streamrag.inference.bart.BartModel#decodeStep} for every row's next-token logits in lock-step, and
 * {@code selectRows} again to follow the chosen beams.
 *
 * <p>Devices and precisions come as {@link io.streamrag.inference.device.DeviceSettings} (CUDA needs a CUDA libtorch,
 * see STACK.md): fp32 anywhere, fp16 on GPU only; bf16 compute is refused there (DJL's JNI aborts on bf16 arrays).
 */
package io.streamrag.inference.bart;
