import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The renderer's tests: Vue components in happy-dom. Run with
//   npx vitest run -c vitest.renderer.config.ts
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@shared': resolve(import.meta.dirname, 'src/shared'),
      '@renderer': resolve(import.meta.dirname, 'src/renderer/src'),
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['test/renderer/**/*.test.ts'],
  },
})
